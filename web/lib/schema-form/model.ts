// Builds the form model from a function's input JSON Schema, its io spec and the type
// catalogue. The JSON Schema decides types, required-ness and bounds (it is what the
// server validates against); the io spec adds descriptions and the port order; the
// catalogue gives each quantity's suggested units. Pure: no I/O.
import { convertible, normalizeUnit, registerCatalogUnits, unitDef } from "./units";
import type { Field, FormModel, IoPort, JsonSchema, NumberBounds, SelectOption, TypeCatalog } from "./types";

function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== "null");
  return schema.type;
}

function bounds(schema: JsonSchema): NumberBounds {
  const b: NumberBounds = {};
  if (typeof schema.minimum === "number") {
    if (schema.exclusiveMinimum === true) b.exclusiveMinimum = schema.minimum;
    else b.minimum = schema.minimum;
  }
  if (typeof schema.maximum === "number") {
    if (schema.exclusiveMaximum === true) b.exclusiveMaximum = schema.maximum;
    else b.maximum = schema.maximum;
  }
  if (typeof schema.exclusiveMinimum === "number") b.exclusiveMinimum = schema.exclusiveMinimum;
  if (typeof schema.exclusiveMaximum === "number") b.exclusiveMaximum = schema.exclusiveMaximum;
  if (typeof schema.multipleOf === "number" && schema.multipleOf > 0) b.multipleOf = schema.multipleOf;
  return b;
}

// The units offered for a quantity declared in `unit`: the declared one first, then the
// catalogue's suggestions this browser can convert (to check bounds). A declared unit
// whose factor is not registered (units.ts) is offered alone: the server converts.
export function unitsFor(quantity: string, unit: string, catalog: TypeCatalog | undefined): string[] {
  const declared = unit;
  if (!unitDef(declared)) return [declared];
  const entry = catalog?.quantities?.find((q) => q.name === quantity);
  const suggested = (entry?.suggested_units ?? []).filter(
    (u) => convertible(u, declared) && normalizeUnit(u) !== normalizeUnit(declared),
  );
  return [declared, ...suggested];
}

function optionLabel(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function options(values: unknown[]): SelectOption[] {
  return values.map((value) => ({ key: JSON.stringify(value), label: optionLabel(value), value }));
}

interface Context {
  catalog: TypeCatalog | undefined;
}

function fieldFrom(
  name: string,
  label: string,
  schema: JsonSchema,
  required: boolean,
  description: string | undefined,
  ctx: Context,
): Field {
  const base = { name, label, required, description: description || schema.description || undefined, default: schema.default };
  if (schema.enum !== undefined || schema.const !== undefined) {
    const values = schema.enum ?? [schema.const];
    return { ...base, kind: "select", options: options(values) };
  }
  const type = typeOf(schema);
  if (schema["x-file"]) return { ...base, kind: "file", extensions: (schema["x-file-extensions"] ?? []).map((e) => e.toLowerCase()) };
  if (type === "number" && schema["x-quantity"]) {
    const quantity = schema["x-quantity"];
    const entry = ctx.catalog?.quantities?.find((q) => q.name === quantity);
    const unit = schema["x-unit"] ?? entry?.si_unit ?? "";
    return { ...base, ...bounds(schema), kind: "quantity", quantity, unit, units: unitsFor(quantity, unit, ctx.catalog) };
  }
  if (type === "number" || type === "integer") return { ...base, ...bounds(schema), kind: "number", integer: type === "integer" };
  if (type === "string") {
    return {
      ...base,
      kind: "string",
      minLength: schema.minLength,
      maxLength: schema.maxLength,
      pattern: schema.pattern,
    };
  }
  if (type === "boolean") return { ...base, kind: "boolean" };
  if (type === "array" && schema.items && !Array.isArray(schema.items)) {
    return {
      ...base,
      kind: "list",
      item: fieldFrom(name, label, schema.items, true, undefined, ctx),
      minItems: schema.minItems,
      maxItems: schema.maxItems,
    };
  }
  if (type === "object" && schema.properties) {
    const requiredNames = new Set(schema.required ?? []);
    const fields = Object.entries(schema.properties).map(([key, sub]) =>
      fieldFrom(key, key, sub, requiredNames.has(key), undefined, ctx),
    );
    return { ...base, kind: "struct", fields };
  }
  if (type === "object" && schema.additionalProperties && typeof schema.additionalProperties === "object") {
    return { ...base, kind: "dict", item: fieldFrom(name, label, schema.additionalProperties, true, undefined, ctx) };
  }
  return { ...base, kind: "json" };
}

// The form model of a function's inputs. `ports` orders the fields (the manifest's order)
// and describes them; inputs the schema has and the io spec lacks follow in schema order.
export function buildFormModel(schema: JsonSchema, ports: IoPort[] = [], catalog?: TypeCatalog): FormModel {
  registerCatalogUnits(catalog);
  const ctx: Context = { catalog };
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const names = [...ports.map((p) => p.name).filter((n) => n in properties), ...Object.keys(properties)];
  const seen = new Set<string>();
  const fields: Field[] = [];
  for (const name of names) {
    if (seen.has(name)) continue;
    seen.add(name);
    const port = ports.find((p) => p.name === name);
    fields.push(fieldFrom(name, name, properties[name]!, required.has(name), port?.description, ctx));
  }
  return { fields };
}
