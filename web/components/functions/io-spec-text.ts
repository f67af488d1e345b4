// The text of an io spec row (docs/manifest.md "Ports"), for the function page and any
// other page that shows what a port takes: its type, unit, bounds, default, allowed values
// and file types, each as a short string ("" when the port has none).
//
//   typeText({kind: "quantity", spelling: "Force", ...})        → "Force"
//   unitText(quantity in N)  → "N";  list[Force] in kN → "kN";  Float → ""
//   boundsText(FA ≥ 0, ≤ 1e7, N)                                → "0 ≤ FA ≤ 10000000 N"
//   valueText({value: 12, unit: "mm"})                          → "12 mm"
//   fileTypesText(File[step, stp]) → ".step, .stp";  File → "any file"
//   portSpecText(port) joins type, unit and bounds: "Force in N, 0 ≤ FA ≤ 10000000 N"
import type { Port, PortType } from "@/lib/packages";

// Numbers as JSON writes them (10000000, 0.15, 1e-9): exact, and copyable into a form.
export function numberText(value: number): string {
  return String(value);
}

export function typeText(type: PortType): string {
  if (type.spelling) return type.spelling;
  switch (type.kind) {
    case "list":
      return `list[${type.element ? typeText(type.element) : "?"}]`;
    case "dict":
      return `dict[str, ${type.element ? typeText(type.element) : "?"}]`;
    case "literal":
      return `literal[${(type.values ?? []).map((v) => valueText(v)).join(", ")}]`;
    case "struct":
      return `{${(type.fields ?? []).map((f) => `${f.name}: ${typeText(f.type)}`).join(", ")}}`;
    case "file":
      return type.extensions?.length ? `File[${type.extensions.join(", ")}]` : "File";
    default:
      return type.name ?? type.kind;
  }
}

// The unit numbers of this port are in: a quantity's, or that of the elements of a list
// or mapping of quantities. Vectors of quantities (Force3) carry it on the element too.
export function unitText(type: PortType): string {
  if (type.kind === "quantity") return type.unit ?? "";
  if ((type.kind === "list" || type.kind === "dict") && type.element) return unitText(type.element);
  return "";
}

export function valueText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return numberText(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "object" && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (typeof o.value === "number" && typeof o.unit === "string" && Object.keys(o).length === 2) {
      return `${numberText(o.value)} ${o.unit}`;
    }
  }
  return JSON.stringify(value);
}

export function boundsText(port: Port): string {
  const unit = unitText(port.type);
  const suffix = unit ? ` ${unit}` : "";
  const { minimum: min, maximum: max } = port;
  const elements = port.type.kind === "list" || port.type.kind === "dict" ? `each ${port.name}` : port.name;
  if (min !== undefined && max !== undefined) return `${numberText(min)} ≤ ${elements} ≤ ${numberText(max)}${suffix}`;
  if (min !== undefined) return `${elements} ≥ ${numberText(min)}${suffix}`;
  if (max !== undefined) return `${elements} ≤ ${numberText(max)}${suffix}`;
  return "";
}

// With the unit of the port, a plain number default reads "0 N".
export function defaultText(port: Port): string {
  if (port.default === undefined) return "";
  const unit = unitText(port.type);
  if (typeof port.default === "number" && unit) return `${numberText(port.default)} ${unit}`;
  return valueText(port.default);
}

// The values a port allows: its enum, or a literal type's values.
export function allowedText(port: Port): string {
  const values = port.enum ?? (port.type.kind === "literal" ? port.type.values : undefined);
  return values?.length ? values.map((v) => valueText(v)).join(" | ") : "";
}

export function fileTypesText(type: PortType): string {
  if (type.kind !== "file") return "";
  return type.extensions?.length ? type.extensions.map((e) => `.${e}`).join(", ") : "any file";
}

// An input is optional when it says so or has a default.
export function isOptional(port: Port): boolean {
  return port.required === false || port.default !== undefined;
}

export function portSpecText(port: Port): string {
  const unit = unitText(port.type);
  const parts = [unit ? `${typeText(port.type)} in ${unit}` : typeText(port.type)];
  const bounds = boundsText(port);
  if (bounds) parts.push(bounds);
  const files = fileTypesText(port.type);
  if (files && files !== "any file") parts.push(files);
  return parts.join(", ");
}
