// The facts of a function version beside its io spec: handler or command, resources,
// interpreter, whether results are cached, its checksum, and its test cases' outcome.
import type { FunctionVersion } from "@/lib/packages";

export function FunctionFacts({ fn }: { fn: FunctionVersion }) {
  const tests = fn.test_results ?? [];
  const passed = tests.filter((t) => t.passed).length;
  const rows: [string, React.ReactNode][] = [];
  if (fn.handler) rows.push(["Handler", <code key="h">{fn.handler}</code>]);
  if (fn.entrypoint?.length) rows.push(["Command", <code key="e">{fn.entrypoint.join(" ")}</code>]);
  if (fn.resources) {
    const r = fn.resources;
    rows.push([
      "Resources",
      [r.cpu !== undefined ? `${r.cpu} CPU` : "", r.memory_mb !== undefined ? `${r.memory_mb} MiB` : "", r.timeout_s !== undefined ? `${r.timeout_s} s timeout` : ""]
        .filter(Boolean)
        .join(" · "),
    ]);
  }
  if (fn.interpreter?.version) rows.push(["Python", fn.interpreter.version]);
  if (fn.cache !== undefined) rows.push(["Cached results", fn.cache ? "yes: identical calls may reuse a result" : "no"]);
  if (tests.length) rows.push(["Test cases", `${passed} of ${tests.length} passed`]);
  if (fn.checksum) rows.push(["Checksum", <code key="c" className="break-all text-xs">{fn.checksum}</code>]);
  return (
    <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
      {rows.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-muted-foreground">{term}</dt>
          <dd className="min-w-0">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
