// The report of a successful deploy: created or new version, each function deployed /
// updated / unchanged, removed functions, warnings (file:line:col), notes, test results,
// the interpreter and how long it took; links to the package page.
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import type { DeployReport } from "@/lib/packages";
import { problemLine, testsText } from "./deploy-text";

const FUNCTION_BADGE = { deployed: "default", updated: "secondary", unchanged: "outline" } as const;

export function DeployReportView({ report }: { report: DeployReport }) {
  const pkg = report.package;
  const name = pkg ? (pkg.full_name ?? `${pkg.owner}/${pkg.name}`) : "The package";
  const version = report.version?.version ?? pkg?.latest_version;
  const failed = report.tests?.ran && (report.tests.failed ?? 0) > 0;
  return (
    <section aria-label="Deploy report" className="grid gap-4 rounded-lg border p-4">
      <p className="font-medium" role="status">
        {report.status === "created" ? "Created" : "New version of"}{" "}
        {pkg ? (
          <Link className="font-mono underline underline-offset-4" href={`/packages/view/?id=${encodeURIComponent(name)}`}>
            {name}
          </Link>
        ) : (
          name
        )}
        {version ? ` ${version}` : ""}.
      </p>
      {report.functions?.length ? (
        <ul className="grid gap-1" aria-label="Functions">
          {report.functions.map((f) => (
            <li key={f.name} className="flex items-center gap-2">
              <Badge variant={FUNCTION_BADGE[f.status] ?? "outline"}>{f.status}</Badge>
              <span className="font-mono text-sm">{f.name}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {report.removed_functions?.length ? (
        <p className="text-sm">Removed: {report.removed_functions.map((f) => f).join(", ")}</p>
      ) : null}
      <p className={failed ? "text-sm text-destructive" : "text-sm"}>{testsText(report.tests)}</p>
      {report.warnings?.length ? (
        <div className="grid gap-1">
          <h3 className="text-sm font-medium">Warnings</h3>
          <ul className="grid gap-1 font-mono text-xs" aria-label="Warnings">
            {report.warnings.map((w, i) => (
              <li key={i} className="break-words">
                {problemLine(w)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {report.notes?.length ? (
        <ul className="grid list-disc gap-1 pl-5 text-sm text-muted-foreground" aria-label="Notes">
          {report.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      ) : null}
      <p className="text-xs text-muted-foreground">
        {report.interpreter?.version ? `Python ${report.interpreter.version}` : ""}
        {report.interpreter?.version && report.duration_ms !== undefined ? " · " : ""}
        {report.duration_ms !== undefined ? `${Math.round(report.duration_ms)} ms` : ""}
      </p>
    </section>
  );
}
