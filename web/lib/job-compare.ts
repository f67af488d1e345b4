// The comparison of two jobs: one row per input and per output name found in either job,
// saying whether the two values are the same, differ, or exist in one job only, and for
// two numbers in the same unit their relative difference.
//
// Contract:
//  - Rows come inputs first, then outputs; within each, in the first job's key order,
//    then the second job's keys the first lacks.
//  - Two numbers are the same when they differ by at most 1e-9 of the larger magnitude
//    (so 576 and 576.0000000000001, one floating-point rounding apart, are not flagged).
//    Other values are the same when they are deeply equal (object key order ignored).
//  - Values in different units are never the same (the API stores inputs converted to
//    the declared unit, so a unit differs only between function versions).
//  - relativeDifference is (b − a) / |a| for two finite numbers in the same unit; 0 when
//    they are the same; null when a is 0 and b is not, or when either is not a number.
export type RowState = "same" | "different" | "only-a" | "only-b";

export interface Side {
  present: boolean;
  value?: unknown;
  unit?: string;
}

export interface CompareRow {
  section: "input" | "output";
  name: string;
  a: Side;
  b: Side;
  state: RowState;
  relativeDifference: number | null;
}

export interface ComparedJob {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  inputUnits?: Record<string, string>;
  outputUnits?: Record<string, string>;
}

// Numbers compare exactly: two results one rounding apart are different doubles, and an
// engineer comparing runs must see it (with its tiny relative difference), not be told
// they are the same.
export function numbersSame(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

export function valuesSame(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return numbersSame(a, b);
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => valuesSame(item, b[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.prototype.hasOwnProperty.call(right, key) && valuesSame(left[key], right[key]));
}

export function relativeDifference(a: unknown, b: unknown): number | null {
  if (typeof a !== "number" || typeof b !== "number" || !Number.isFinite(a) || !Number.isFinite(b)) return null;
  if (numbersSame(a, b)) return 0;
  if (a === 0) return null;
  return (b - a) / Math.abs(a);
}

function has(record: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

function rowsOf(
  section: CompareRow["section"],
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  unitsA: Record<string, string> = {},
  unitsB: Record<string, string> = {},
): CompareRow[] {
  const names = [...Object.keys(a), ...Object.keys(b).filter((key) => !has(a, key))];
  return names.map((name) => {
    const sideA: Side = has(a, name) ? { present: true, value: a[name], unit: unitsA[name] } : { present: false };
    const sideB: Side = has(b, name) ? { present: true, value: b[name], unit: unitsB[name] } : { present: false };
    if (!sideA.present) return { section, name, a: sideA, b: sideB, state: "only-b", relativeDifference: null };
    if (!sideB.present) return { section, name, a: sideA, b: sideB, state: "only-a", relativeDifference: null };
    const sameUnit = (sideA.unit ?? "") === (sideB.unit ?? "");
    const state: RowState = sameUnit && valuesSame(sideA.value, sideB.value) ? "same" : "different";
    return {
      section,
      name,
      a: sideA,
      b: sideB,
      state,
      relativeDifference: sameUnit ? relativeDifference(sideA.value, sideB.value) : null,
    };
  });
}

export function compareJobs(a: ComparedJob, b: ComparedJob): CompareRow[] {
  return [
    ...rowsOf("input", a.inputs, b.inputs, a.inputUnits, b.inputUnits),
    ...rowsOf("output", a.outputs, b.outputs, a.outputUnits, b.outputUnits),
  ];
}

/** How many rows do not read the same in both jobs. */
export function countDifferences(rows: CompareRow[]): number {
  return rows.filter((row) => row.state !== "same").length;
}

/** A relative difference as a signed percentage: "+12.50 %", "−0.031 %", "+250 %", "+1.00e-4 %". */
export function formatRelative(value: number): string {
  if (value === 0) return "0 %";
  const pct = value * 100;
  const sign = pct > 0 ? "+" : "−";
  const magnitude = Math.abs(pct);
  const digits = magnitude >= 100 ? 0 : magnitude >= 1 ? 2 : 3;
  const text = magnitude >= 0.001 ? magnitude.toFixed(digits) : magnitude.toPrecision(3);
  return `${sign}${text} %`;
}
