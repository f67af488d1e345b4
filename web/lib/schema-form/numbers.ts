// Reading numbers as engineers type them, and writing them back without float noise.

// The number in `text`: "1.5", "1e3", "-2", and "0,15" (a decimal comma, when there is no
// point). undefined for blank text, NaN for anything else that is not a finite number.
export function parseNumber(text: string): number | undefined {
  let t = text.trim().replace(/[\s\u202f]/g, "");
  if (t === "") return undefined;
  if (!t.includes(".") && /^[-+]?\d*,\d+(e[-+]?\d+)?$/i.test(t)) t = t.replace(",", ".");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return NaN;
  const n = Number(t);
  return Number.isFinite(n) ? n : NaN;
}

// A number for display: `digits` significant digits at most (12 by default, so
// 5.000000000000001 reads 5), trailing zeros dropped.
export function formatNumber(n: number, digits = 12): string {
  if (!Number.isFinite(n)) return String(n);
  return String(Number(n.toPrecision(digits)));
}
