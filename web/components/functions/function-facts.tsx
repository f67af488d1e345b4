// The facts of a function version beside its io spec: handler or command, resources,
// interpreter, whether results are cached, its checksum, and its test cases' outcome
// (each case by name, passed or failed).
import { Badge } from "@/components/ui/badge";
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
    <div className="grid gap-4">
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
        {rows.map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="text-muted-foreground">{term}</dt>
            <dd className="min-w-0">{value}</dd>
          </div>
        ))}
      </dl>
      {tests.length ? (
        <ul className="grid gap-1 text-sm" aria-label="Test cases">
          {tests.map((t, i) => (
            <li key={i} className="flex items-center gap-2">
              <Badge variant={t.passed ? "secondary" : "destructive"}>{t.passed ? "passed" : "failed"}</Badge>
              <span>{t.name ?? `case ${i + 1}`}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
