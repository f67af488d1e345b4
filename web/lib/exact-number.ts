// How result numbers are written for people: exactly, never rounded.
//
// Contract: formatExact(n) is the shortest decimal that reads back as the very same
// IEEE-754 double (JavaScript's Number-to-string, the same rule as Python's repr), so
// what the server computed is what is shown, digit for digit of its value: 0.1 + 0.2
// shows 0.30000000000000004, 576.0 shows 576, 1e-7 shows 1e-7. A whole number beyond
// 2^53 (and below 10^21) is written with all the digits of the double's exact value
// (BigInt), not JavaScript's zero padding; it may already have lost digits when the
// answer was parsed: isInexactInteger says so, and the UI marks it.
export function formatExact(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "∞";
  if (n === -Infinity) return "−∞";
  if (Object.is(n, -0)) return "-0";
  if (isInexactInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  return String(n);
}

export function isInexactInteger(n: number): boolean {
  return Number.isInteger(n) && !Number.isSafeInteger(n);
}

/** A value of any JSON type as text: numbers exact, strings as they are, the rest as JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === "number") return formatExact(value);
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "—";
  if (typeof value === "boolean") return value ? "true" : "false";
  return JSON.stringify(value);
}

/** A number with its unit, for reading ("10 mm", "0.15"). */
export function withUnit(value: unknown, unit: string | undefined): string {
  const text = formatValue(value);
  return unit ? `${text} ${unit}` : text;
}
