// The text of a deploy's problems and outcome (docs/packages.md, docs/manifest.md
// "Errors"): a manifest error or warning reads "mecapy.yml:LINE:COL message", a source
// scan finding "calc.py:LINE:COL message (rule)"; without a line "mecapy.yml: message".
import type { DeployProblem, TestsSummary } from "@/lib/packages";

export function problemLine(p: DeployProblem): string {
  const column = p.column ?? p.col;
  let where = p.file ?? "";
  if (where && p.line !== undefined) {
    where += `:${p.line}`;
    if (column !== undefined) where += `:${column}`;
  }
  const rule = p.rule ? ` (${p.rule})` : "";
  if (!where) return `${p.message}${rule}`;
  return p.line !== undefined ? `${where} ${p.message}${rule}` : `${where}: ${p.message}${rule}`;
}

export function testsText(tests: TestsSummary | undefined): string {
  if (!tests || !tests.ran) return "Test cases not run at deploy.";
  const passed = tests.passed ?? 0;
  const failed = tests.failed ?? 0;
  return `Test cases: ${passed} passed, ${failed} failed.`;
}

// The problem members of a refused deploy that list things, read defensively (the body
// is whatever the server sent).
export function problemList(problem: Record<string, unknown>, key: string): DeployProblem[] {
  const value = problem[key];
  if (!Array.isArray(value)) return [];
  return value.filter(
    (p): p is DeployProblem => !!p && typeof p === "object" && typeof (p as DeployProblem).message === "string",
  );
}
