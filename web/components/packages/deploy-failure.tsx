// Why a deploy was refused: the problem's detail (a traceback keeps its lines), then what
// the problem lists: manifest errors as "mecapy.yml:LINE:COL message", warnings, the
// failed test cases per function with what differed.
import { UploadError } from "@/lib/upload";
import { errorText } from "@/lib/error-text";
import { problemLine, problemList } from "./deploy-text";

interface CaseResult {
  name?: string;
  passed?: boolean;
  error?: unknown;
  failures?: { port?: string; message?: string }[];
}

function failedCases(problem: Record<string, unknown>): { fn: string; result: CaseResult }[] {
  const byFunction = problem.test_results;
  if (!byFunction || typeof byFunction !== "object" || Array.isArray(byFunction)) return [];
  const out: { fn: string; result: CaseResult }[] = [];
  for (const [fn, results] of Object.entries(byFunction as Record<string, unknown>)) {
    if (!Array.isArray(results)) continue;
    for (const r of results as CaseResult[]) if (r && r.passed === false) out.push({ fn, result: r });
  }
  return out;
}

function caseText(r: CaseResult): string {
  const failures = (r.failures ?? []).map((f) => f.message ?? f.port ?? "").filter(Boolean);
  if (failures.length) return failures.join("; ");
  if (r.error && typeof r.error === "object") {
    const e = r.error as { type?: string; message?: string };
    return [e.type, e.message].filter(Boolean).join(": ");
  }
  return typeof r.error === "string" ? r.error : "failed";
}

export function DeployFailure({ error }: { error: unknown }) {
  const problem = error instanceof UploadError ? error.problem : {};
  const errors = problemList(problem, "errors");
  const warnings = problemList(problem, "warnings");
  const cases = failedCases(problem);
  return (
    <section role="alert" aria-label="Deploy refused" className="grid gap-3 rounded-lg border border-destructive p-4">
      <p className="font-medium text-destructive">
        Not deployed{error instanceof UploadError && error.kind === "http" && error.title ? ` — ${error.title}` : ""}
      </p>
      {errors.length === 0 ? <pre className="whitespace-pre-wrap break-words text-sm">{errorText(error)}</pre> : null}
      {errors.length ? (
        <ul className="grid gap-1 font-mono text-xs" aria-label="Manifest errors">
          {errors.map((e, i) => (
            <li key={i} className="break-words">
              {problemLine(e)}
            </li>
          ))}
        </ul>
      ) : null}
      {cases.length ? (
        <ul className="grid gap-1 text-sm" aria-label="Failed test cases">
          {cases.map(({ fn, result }, i) => (
            <li key={i}>
              <span className="font-mono">{fn}</span> — {result.name ?? "a case"}: {caseText(result)}
            </li>
          ))}
        </ul>
      ) : null}
      {warnings.length ? (
        <div className="grid gap-1">
          <h3 className="text-sm font-medium">Warnings</h3>
          <ul className="grid gap-1 font-mono text-xs">
            {warnings.map((w, i) => (
              <li key={i} className="break-words">
                {problemLine(w)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
