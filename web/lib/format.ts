// Formatting for the file and package pages: sizes in binary units, dates in the
// browser's locale.

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

// 0 → "0 B", 1536 → "1.5 KiB", 10 * 2**30 → "10 GiB" (three significant digits at most).
export function humanSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} B`;
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${Number(value.toFixed(digits))} ${UNITS[unit]}`;
}

// An ISO date-time as the reader's local date and time; the text itself when unreadable.
export function formatDateTime(iso: string | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
