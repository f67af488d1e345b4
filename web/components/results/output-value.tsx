// OutputValue: one output value as the table shows it. Numbers are written exactly
// (formatExact: never rounded) in a monospace font, on one line (a number split across
// lines of a printed report reads as two numbers); a whole number beyond 2^53 is marked
// as possibly inexact; arrays give their length and reveal every element on demand
// (or always, with `expand`); structures are shown as JSON.
import { formatExact, formatValue, isInexactInteger } from "@/lib/exact-number";

function NumberText({ value }: { value: number }) {
  const text = formatExact(value);
  if (isInexactInteger(value)) {
    return (
      <span className="font-mono whitespace-nowrap" title="A whole number beyond 2^53: the last digits may differ from the server's">
        ≈{text}
      </span>
    );
  }
  return <span className="font-mono whitespace-nowrap tabular-nums">{text}</span>;
}

export function OutputValue({ value, expand = false }: { value: unknown; expand?: boolean }) {
  if (typeof value === "number") return <NumberText value={value} />;
  if (typeof value === "boolean") return <span className="font-mono">{value ? "true" : "false"}</span>;
  if (typeof value === "string") return <span className="whitespace-pre-wrap [overflow-wrap:anywhere]">{value}</span>;
  if (value === null || value === undefined) return <span className="text-muted-foreground">—</span>;
  const json = Array.isArray(value) ? value.map((v) => formatValue(v)).join(", ") : JSON.stringify(value, null, 2);
  const list = Array.isArray(value) ? (
    <p className="font-mono text-xs break-all">[{json}]</p>
  ) : (
    <pre className="max-h-64 overflow-auto font-mono text-xs">{json}</pre>
  );
  if (expand) return list;
  const summary = Array.isArray(value) ? `${value.length} value${value.length === 1 ? "" : "s"}` : "structure";
  return (
    <details>
      <summary className="cursor-pointer rounded-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
        {summary}
      </summary>
      <div className="mt-1">{list}</div>
    </details>
  );
}
