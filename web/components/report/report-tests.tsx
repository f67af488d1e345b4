// ReportTests: the test-case status of the package version the job ran — the deploy
// report's counts for the version, and this function's own cases one by one.
import type { FunctionVersion, PackageVersion } from "@/lib/jobs";

export function ReportTests({ version, fn }: { version?: PackageVersion; fn?: FunctionVersion }) {
  const tests = version?.report?.tests;
  const own = fn?.test_results ?? [];
  const ownPassed = own.filter((t) => t.passed).length;
  return (
    <div className="grid gap-2 text-sm" data-print="keep">
      {tests ? (
        <p>
          {tests.ran === false ? (
            "The version's test cases were not run at deployment."
          ) : (
            <>
              At deployment, the version’s test cases: <strong>{tests.passed ?? 0} passed</strong>,{" "}
              <strong className={tests.failed ? "text-destructive" : undefined}>{tests.failed ?? 0} failed</strong>.
            </>
          )}
          {version?.yanked ? <strong className="text-destructive"> This version has been yanked.</strong> : null}
        </p>
      ) : (
        <p className="text-muted-foreground">The version’s deploy report could not be read.</p>
      )}
      {own.length ? (
        <>
          <p>
            This function’s cases: {ownPassed} of {own.length} passed.
          </p>
          <ul className="grid gap-1">
            {own.map((t, i) => (
              <li key={`${t.index ?? i}-${t.name}`} className="flex gap-2">
                <span className={t.passed ? "text-emerald-700 dark:text-emerald-400" : "text-destructive"} aria-hidden="true">
                  {t.passed ? "✓" : "✗"}
                </span>
                <span>
                  <span className="sr-only">{t.passed ? "Passed: " : "Failed: "}</span>
                  {t.name}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : fn ? (
        <p className="text-muted-foreground">This function has no test cases.</p>
      ) : null}
    </div>
  );
}
