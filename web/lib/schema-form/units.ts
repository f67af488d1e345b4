// Unit conversion for the browser-side checks of quantity inputs, with the server's own
// factors: UDUNITS-2's, as GET /types/catalog gives them for every quantity's suggested
// units (registerCatalogUnits) and GET /types/conversion for any other declared unit
// (registerUnit). Nothing here carries a factor of its own. A unit never registered is
// offered alone and its bounds are left to the server, which converts every value itself.
import type { TypeCatalog } from "./types";

export interface UnitDef {
  dimension: string;
  // The affine map to the SI unit of the dimension: si = value * factor + offset.
  factor: number;
  offset?: number;
}

const registry = new Map<string, UnitDef>();

export function registerUnit(unit: string, def: UnitDef): void {
  registry.set(normalizeUnit(unit), def);
}

// Every suggested unit of every quantity of the catalogue, with its conversion.
export function registerCatalogUnits(catalog: TypeCatalog | undefined): void {
  for (const q of catalog?.quantities ?? []) {
    for (const [unit, c] of Object.entries(q.conversions ?? {})) {
      registerUnit(unit, { dimension: q.dimension ?? q.name, factor: c.factor, offset: c.offset });
    }
  }
}

// The registry's spelling of a unit: spaces dropped, powers without "^", "·" or "*" as ".",
// "°C"/"°F" as degC/degF, "um" and Greek mu as the micro sign. Unknown units come back
// normalised.
export function normalizeUnit(unit: string): string {
  let u = unit.trim().replace(/\s+/g, "");
  u = u.replace(/\^/g, "").replace(/[·*]/g, ".").replace(/²/g, "2").replace(/³/g, "3");
  u = u.replace(/°C/g, "degC").replace(/°F/g, "degF").replace(/^celsius$/i, "degC");
  u = u.replace(/μ/g, "µ").replace(/^um/, "µm");
  return u;
}

export function unitDef(unit: string): UnitDef | undefined {
  return registry.get(normalizeUnit(unit));
}

// Whether a value in `from` can be converted to `to` with the registered factors.
export function convertible(from: string, to: string): boolean {
  const a = unitDef(from);
  const b = unitDef(to);
  return !!a && !!b && a.dimension === b.dimension;
}

// value (in `from`) expressed in `to`; undefined when the factors are not registered.
export function convert(value: number, from: string, to: string): number | undefined {
  if (normalizeUnit(from) === normalizeUnit(to)) return value;
  const a = unitDef(from);
  const b = unitDef(to);
  if (!a || !b || a.dimension !== b.dimension) return undefined;
  const si = value * a.factor + (a.offset ?? 0);
  return (si - (b.offset ?? 0)) / b.factor;
}

// How a unit reads to an engineer: mm2 → mm², degC → °C, N.m → N·m, µm stays.
export function displayUnit(unit: string): string {
  const u = normalizeUnit(unit);
  if (u === "degC") return "°C";
  if (u === "degF") return "°F";
  return u.replace(/([a-zA-Z])2(?![0-9])/g, "$1²").replace(/([a-zA-Z])3(?![0-9])/g, "$1³").replace(/\./g, "·");
}

// The (unit, quantity) pairs a schema declares anywhere (x-unit beside x-quantity, in
// nested structs, lists and dicts too), each once: the units whose factors a form needs.
export function declaredUnits(schema: unknown): { unit: string; quantity: string }[] {
  const found = new Map<string, { unit: string; quantity: string }>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    const o = node as Record<string, unknown>;
    if (typeof o["x-unit"] === "string" && typeof o["x-quantity"] === "string")
      found.set(`${o["x-quantity"]}|${o["x-unit"]}`, { unit: o["x-unit"], quantity: o["x-quantity"] });
    Object.values(o).forEach(walk);
  };
  walk(schema);
  return [...found.values()];
}
