// /jobs/compare/?a=JOB&b=JOB: two jobs side by side — function, version, status, then
// every input and every output with its unit — differences highlighted and named
// (lib/job-compare.ts decides what differs).
"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import * as React from "react";
import { CompareTable, DIFFERS_ROW } from "@/components/history/compare-table";
import { localTime } from "@/components/history/format";
import { statusSymbol } from "@/components/history/job-status-badge";
import { loadComparedJob, type LoadedJob } from "@/components/history/load-compared";
import { useRequiredSession } from "@/components/shell/session-provider";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ApiError } from "@/lib/api";
import { compareJobs, countDifferences } from "@/lib/job-compare";
import { jobViewUrl } from "@/lib/jobs-history";
import { cn } from "@/lib/utils";

function describe(e: unknown, which: string): string {
  if (e instanceof ApiError && e.status === 404) return `Job ${which} does not exist, or is not yours.`;
  return e instanceof ApiError ? e.detail || e.title : "The server could not be reached.";
}

function errorText(job: LoadedJob["job"]): string {
  if (!job.error) return "—";
  return [job.error.type, job.error.message].filter(Boolean).join(": ") || "failed";
}

function StatusText({ status }: { status: string }) {
  return (
    <span>
      <span aria-hidden>{statusSymbol(status)} </span>
      {status}
    </span>
  );
}

function SummaryRow({ label, a, b, differs }: { label: string; a: React.ReactNode; b: React.ReactNode; differs: boolean }) {
  return (
    <TableRow data-diff={differs ? "different" : "same"} className={cn(differs && DIFFERS_ROW)}>
      <TableHead scope="row" className="text-foreground">
        {label}
      </TableHead>
      <TableCell>{a}</TableCell>
      <TableCell>{b}</TableCell>
      <TableCell>{differs ? <strong>≠ Differs</strong> : <span className="text-muted-foreground">Same</span>}</TableCell>
    </TableRow>
  );
}

function Comparison({ a, b }: { a: LoadedJob; b: LoadedJob }) {
  const [onlyDifferences, setOnlyDifferences] = React.useState(false);
  const rows = React.useMemo(() => compareJobs(a.compared, b.compared), [a, b]);
  const shown = onlyDifferences ? rows.filter((row) => row.state !== "same") : rows;
  const differences = countDifferences(rows);
  const fnA = `${a.job.package} · ${a.job.function}`;
  const fnB = `${b.job.package} · ${b.job.function}`;
  return (
    <div className="grid gap-8">
      <section aria-labelledby="summary" className="grid gap-3">
        <h2 id="summary" className="text-lg font-semibold">
          The jobs
        </h2>
        <Table className="table-fixed">
          <caption className="sr-only">The two jobs compared</caption>
          <TableHeader>
            <TableRow>
              <TableHead scope="col" className="w-[22%]">
                <span className="sr-only">Field</span>
              </TableHead>
              <TableHead scope="col" className="w-[26%]">
                A ·{" "}
                <Link href={jobViewUrl(a.job.job_id)} className="underline underline-offset-4">
                  open
                </Link>
              </TableHead>
              <TableHead scope="col" className="w-[26%]">
                B ·{" "}
                <Link href={jobViewUrl(b.job.job_id)} className="underline underline-offset-4">
                  open
                </Link>
              </TableHead>
              <TableHead scope="col" className="w-[26%]">
                Difference
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            <SummaryRow label="Function" a={fnA} b={fnB} differs={fnA !== fnB} />
            <SummaryRow label="Version" a={a.job.version} b={b.job.version} differs={a.job.version !== b.job.version} />
            <SummaryRow
              label="Status"
              a={<StatusText status={a.job.status} />}
              b={<StatusText status={b.job.status} />}
              differs={a.job.status !== b.job.status}
            />
            <TableRow>
              <TableHead scope="row" className="text-foreground">
                Created
              </TableHead>
              <TableCell>{localTime(a.job.created_at, true)}</TableCell>
              <TableCell>{localTime(b.job.created_at, true)}</TableCell>
              <TableCell />
            </TableRow>
            {a.job.error || b.job.error ? (
              <SummaryRow
                label="Error"
                a={errorText(a.job)}
                b={errorText(b.job)}
                differs={errorText(a.job) !== errorText(b.job)}
              />
            ) : null}
          </TableBody>
        </Table>
      </section>

      <div className="flex flex-wrap items-center gap-4 text-sm">
        <p aria-live="polite">
          {differences === 0
            ? "The inputs and outputs are the same."
            : `${differences} input${differences === 1 ? "" : "s"} or output${differences === 1 ? "" : "s"} differ.`}
        </p>
        <label className="ml-auto flex items-center gap-2">
          <input
            type="checkbox"
            className="h-4 w-4 accent-primary"
            checked={onlyDifferences}
            onChange={(e) => setOnlyDifferences(e.target.checked)}
          />
          Show only the differences
        </label>
      </div>

      <section aria-labelledby="inputs" className="grid gap-3">
        <h2 id="inputs" className="text-lg font-semibold">
          Inputs
        </h2>
        <CompareTable
          caption="Inputs of A and B"
          rows={shown.filter((row) => row.section === "input")}
          empty={onlyDifferences ? "The inputs are the same." : "Neither job has inputs."}
        />
      </section>
      <section aria-labelledby="outputs" className="grid gap-3">
        <h2 id="outputs" className="text-lg font-semibold">
          Outputs
        </h2>
        <CompareTable
          caption="Outputs of A and B"
          rows={shown.filter((row) => row.section === "output")}
          empty={onlyDifferences ? "The outputs are the same." : "Neither job has outputs."}
        />
      </section>
    </div>
  );
}

function Compare() {
  const params = useSearchParams();
  const idA = params.get("a") ?? "";
  const idB = params.get("b") ?? "";
  const [jobs, setJobs] = React.useState<[LoadedJob, LoadedJob] | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const session = useRequiredSession();
  const signedIn = session.status === "signed-in";

  React.useEffect(() => {
    if (!idA || !idB || !signedIn) return;
    const controller = new AbortController();
    setJobs(null);
    setError(null);
    Promise.all([
      loadComparedJob(idA, controller.signal).catch((e: unknown) => Promise.reject({ e, which: "A" })),
      loadComparedJob(idB, controller.signal).catch((e: unknown) => Promise.reject({ e, which: "B" })),
    ]).then(setJobs, (failure: { e: unknown; which: string }) => {
      if (controller.signal.aborted || (failure.e instanceof ApiError && failure.e.status === 401)) return;
      setError(describe(failure.e, failure.which));
    });
    return () => controller.abort();
  }, [idA, idB, signedIn]);

  return (
    <div className="grid gap-6">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold">Compare two jobs</h1>
        <p className="text-sm text-muted-foreground">
          <Link href="/jobs/" className="underline underline-offset-4">
            Back to the history
          </Link>
        </p>
      </div>
      {!idA || !idB ? (
        <p role="alert" className="text-destructive">
          This page compares two jobs: pick them in the{" "}
          <Link href="/jobs/" className="underline underline-offset-4">
            history
          </Link>
          .
        </p>
      ) : error || session.status === "error" ? (
        <p role="alert" className="text-destructive">
          {error ?? (session.status === "error" ? session.message : null)}
        </p>
      ) : !jobs ? (
        <div aria-busy="true" className="grid gap-3">
          <p role="status" className="sr-only">
            Loading the two jobs…
          </p>
          <Skeleton aria-hidden className="h-40 w-full" />
          <Skeleton aria-hidden className="h-64 w-full" />
        </div>
      ) : (
        <Comparison a={jobs[0]} b={jobs[1]} />
      )}
    </div>
  );
}

export default function ComparePage() {
  return (
    <React.Suspense fallback={<h1 className="text-2xl font-semibold">Compare two jobs</h1>}>
      <Compare />
    </React.Suspense>
  );
}
