// The hint under a number field that says its range: "1 mm … 50 mm", "≥ 0 N", "> 0".
import { formatNumber, displayUnit, type NumberBounds } from "@/lib/schema-form";

export function boundsHint(b: NumberBounds, unit?: string): string {
  const u = unit ? ` ${displayUnit(unit)}` : "";
  const low =
    b.minimum !== undefined ? `≥ ${formatNumber(b.minimum)}${u}` : b.exclusiveMinimum !== undefined ? `> ${formatNumber(b.exclusiveMinimum)}${u}` : "";
  const high =
    b.maximum !== undefined ? `≤ ${formatNumber(b.maximum)}${u}` : b.exclusiveMaximum !== undefined ? `< ${formatNumber(b.exclusiveMaximum)}${u}` : "";
  if (b.minimum !== undefined && b.maximum !== undefined) return `${formatNumber(b.minimum)}${u} … ${formatNumber(b.maximum)}${u}`;
  return [low, high].filter(Boolean).join(", ");
}
