// The words of the browser-side checks, as an engineer reads them under a field.
import { formatNumber } from "./numbers";
import { displayUnit } from "./units";

export const REQUIRED = "Required";
export const NOT_A_NUMBER = "Must be a number";
export const NOT_WHOLE = "Must be a whole number";
export const NOT_JSON = "Must be valid JSON";
export const CHOOSE_FILE = "Choose a file";
export const CHOOSE_ONE = "Choose one of the options";
export const KEY_REQUIRED = "Name required";
export const KEY_DUPLICATE = "This name is already used";

// "1 mm", "20 °C", or a bare "0.15" for dimensionless numbers.
export function amount(n: number, unit?: string, digits?: number): string {
  return unit ? `${formatNumber(n, digits)} ${displayUnit(unit)}` : formatNumber(n, digits);
}

export type Relation = "≥" | "≤" | ">" | "<";

// "Must be ≤ 50 mm", or with a value typed in another unit "Must be ≤ 5 cm (50 mm)"
// (the converted limit to 6 significant digits: "≤ 1.9685 in (50 mm)").
export function bound(relation: Relation, limit: number, unit?: string, shown?: { value: number; unit: string }): string {
  const declared = amount(limit, unit);
  if (!shown || !unit) return `Must be ${relation} ${declared}`;
  return `Must be ${relation} ${amount(shown.value, shown.unit, 6)} (${declared})`;
}

export function multipleOf(step: number, unit?: string): string {
  return `Must be a multiple of ${amount(step, unit)}`;
}

export function minLength(n: number): string {
  return `Must be at least ${n} character${n === 1 ? "" : "s"}`;
}

export function maxLength(n: number): string {
  return `Must be at most ${n} character${n === 1 ? "" : "s"}`;
}

export function pattern(p: string): string {
  return `Must match the pattern ${p}`;
}

export function oneOf(labels: string[]): string {
  return `Must be one of ${labels.join(", ")}`;
}

export function minItems(n: number): string {
  return `Needs at least ${n} row${n === 1 ? "" : "s"}`;
}

export function maxItems(n: number): string {
  return `At most ${n} row${n === 1 ? "" : "s"}`;
}

export function fileType(extensions: string[]): string {
  const list = extensions.map((e) => `.${e}`);
  const text = list.length <= 1 ? list.join("") : `${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}`;
  return `Must be a ${text} file`;
}
