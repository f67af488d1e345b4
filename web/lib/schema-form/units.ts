// Unit conversion for the browser-side checks of quantity inputs.
//
// The server converts with UDUNITS-2; the catalogue (GET /types/catalog) names each
// quantity's suggested units but gives no factors, so this table carries them: for each
// unit, its dimension and the affine map to the SI unit (si = value * factor + offset).
// The factors are UDUNITS's own (exact where they are exact: in = 0.0254 m, lbf =
// 4.4482216152605 N, hp = 745.6999 W, °F = 5/9 K from 459.67 °F). A unit missing here is
// still sent to the server as given; only the browser's bound check is skipped for it.

export interface UnitDef {
  dimension: string;
  factor: number;
  offset?: number;
}

const IN = 0.0254;
const FT = 0.3048;
const LB = 0.45359237;
const LBF = 4.4482216152605;
const PSI = LBF / (IN * IN);

const TABLE: Record<string, UnitDef> = {
  // length
  m: { dimension: "L", factor: 1 },
  mm: { dimension: "L", factor: 1e-3 },
  cm: { dimension: "L", factor: 1e-2 },
  "µm": { dimension: "L", factor: 1e-6 },
  km: { dimension: "L", factor: 1e3 },
  in: { dimension: "L", factor: IN },
  ft: { dimension: "L", factor: FT },
  // area
  m2: { dimension: "L2", factor: 1 },
  mm2: { dimension: "L2", factor: 1e-6 },
  cm2: { dimension: "L2", factor: 1e-4 },
  in2: { dimension: "L2", factor: IN * IN },
  ft2: { dimension: "L2", factor: FT * FT },
  // volume
  m3: { dimension: "L3", factor: 1 },
  mm3: { dimension: "L3", factor: 1e-9 },
  cm3: { dimension: "L3", factor: 1e-6 },
  L: { dimension: "L3", factor: 1e-3 },
  in3: { dimension: "L3", factor: IN * IN * IN },
  ft3: { dimension: "L3", factor: FT * FT * FT },
  // angle
  rad: { dimension: "A", factor: 1 },
  deg: { dimension: "A", factor: Math.PI / 180 },
  arcmin: { dimension: "A", factor: Math.PI / 10800 },
  arcsec: { dimension: "A", factor: Math.PI / 648000 },
  turn: { dimension: "A", factor: 2 * Math.PI },
  // mass
  kg: { dimension: "M", factor: 1 },
  g: { dimension: "M", factor: 1e-3 },
  t: { dimension: "M", factor: 1e3 },
  lb: { dimension: "M", factor: LB },
  // density
  "kg/m3": { dimension: "M L-3", factor: 1 },
  "g/cm3": { dimension: "M L-3", factor: 1e3 },
  "t/m3": { dimension: "M L-3", factor: 1e3 },
  "lb/ft3": { dimension: "M L-3", factor: LB / (FT * FT * FT) },
  "lb/in3": { dimension: "M L-3", factor: LB / (IN * IN * IN) },
  // time
  s: { dimension: "T", factor: 1 },
  ms: { dimension: "T", factor: 1e-3 },
  min: { dimension: "T", factor: 60 },
  h: { dimension: "T", factor: 3600 },
  d: { dimension: "T", factor: 86400 },
  // frequency
  Hz: { dimension: "T-1", factor: 1 },
  kHz: { dimension: "T-1", factor: 1e3 },
  rpm: { dimension: "T-1", factor: 1 / 60 },
  "1/s": { dimension: "T-1", factor: 1 },
  // force
  N: { dimension: "M L T-2", factor: 1 },
  kN: { dimension: "M L T-2", factor: 1e3 },
  MN: { dimension: "M L T-2", factor: 1e6 },
  daN: { dimension: "M L T-2", factor: 10 },
  lbf: { dimension: "M L T-2", factor: LBF },
  kip: { dimension: "M L T-2", factor: 1e3 * LBF },
  // moment and energy (the same dimension)
  "N.m": { dimension: "M L2 T-2", factor: 1 },
  "N.mm": { dimension: "M L2 T-2", factor: 1e-3 },
  "kN.m": { dimension: "M L2 T-2", factor: 1e3 },
  "daN.m": { dimension: "M L2 T-2", factor: 10 },
  "lbf.ft": { dimension: "M L2 T-2", factor: LBF * FT },
  "lbf.in": { dimension: "M L2 T-2", factor: LBF * IN },
  J: { dimension: "M L2 T-2", factor: 1 },
  kJ: { dimension: "M L2 T-2", factor: 1e3 },
  MJ: { dimension: "M L2 T-2", factor: 1e6 },
  kWh: { dimension: "M L2 T-2", factor: 3.6e6 },
  "ft.lbf": { dimension: "M L2 T-2", factor: LBF * FT },
  Btu: { dimension: "M L2 T-2", factor: 1055.05585262 },
  // pressure and stress
  Pa: { dimension: "M L-1 T-2", factor: 1 },
  kPa: { dimension: "M L-1 T-2", factor: 1e3 },
  MPa: { dimension: "M L-1 T-2", factor: 1e6 },
  GPa: { dimension: "M L-1 T-2", factor: 1e9 },
  "N/mm2": { dimension: "M L-1 T-2", factor: 1e6 },
  "N/m2": { dimension: "M L-1 T-2", factor: 1 },
  bar: { dimension: "M L-1 T-2", factor: 1e5 },
  psi: { dimension: "M L-1 T-2", factor: PSI },
  ksi: { dimension: "M L-1 T-2", factor: 1e3 * PSI },
  atm: { dimension: "M L-1 T-2", factor: 101325 },
  // power
  W: { dimension: "M L2 T-3", factor: 1 },
  kW: { dimension: "M L2 T-3", factor: 1e3 },
  MW: { dimension: "M L2 T-3", factor: 1e6 },
  hp: { dimension: "M L2 T-3", factor: 745.6999 },
  // temperature (affine)
  K: { dimension: "Θ", factor: 1 },
  degC: { dimension: "Θ", factor: 1, offset: 273.15 },
  degF: { dimension: "Θ", factor: 5 / 9, offset: 459.67 * (5 / 9) },
  // velocity, acceleration
  "m/s": { dimension: "L T-1", factor: 1 },
  "mm/s": { dimension: "L T-1", factor: 1e-3 },
  "km/h": { dimension: "L T-1", factor: 1000 / 3600 },
  "ft/s": { dimension: "L T-1", factor: FT },
  mph: { dimension: "L T-1", factor: 0.44704 },
  "m/s2": { dimension: "L T-2", factor: 1 },
  "mm/s2": { dimension: "L T-2", factor: 1e-3 },
  "ft/s2": { dimension: "L T-2", factor: FT },
  "in/s2": { dimension: "L T-2", factor: IN },
  // stiffness
  "N/m": { dimension: "M T-2", factor: 1 },
  "N/mm": { dimension: "M T-2", factor: 1e3 },
  "kN/mm": { dimension: "M T-2", factor: 1e6 },
  "kN/m": { dimension: "M T-2", factor: 1e3 },
  "lbf/in": { dimension: "M T-2", factor: LBF / IN },
};

// The table's spelling of a unit: spaces dropped, powers without "^", "·" or "*" as ".",
// "°C"/"°F" as degC/degF, "um" and Greek mu as the micro sign. Unknown units come back
// normalised but are not in the table.
export function normalizeUnit(unit: string): string {
  let u = unit.trim().replace(/\s+/g, "");
  u = u.replace(/\^/g, "").replace(/[·*]/g, ".").replace(/²/g, "2").replace(/³/g, "3");
  u = u.replace(/°C/g, "degC").replace(/°F/g, "degF").replace(/^celsius$/i, "degC");
  u = u.replace(/μ/g, "µ").replace(/^um/, "µm");
  return u;
}

export function unitDef(unit: string): UnitDef | undefined {
  return TABLE[normalizeUnit(unit)];
}

// Whether a value in `from` can be converted to `to` by this table.
export function convertible(from: string, to: string): boolean {
  const a = unitDef(from);
  const b = unitDef(to);
  return !!a && !!b && a.dimension === b.dimension;
}

// value (in `from`) expressed in `to`; undefined when the table cannot convert.
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
