// JobView: one job, live — status, progress bar (from its progress lines), elapsed time,
// its inputs (as sent and as converted), logs streaming over SSE, a cancel button while
// it is not final — then its results, the actions on them (run again with these inputs,
// copy as curl / Python / CLI) and a link to its calculation report.
"use client";

import Link from "next/link";
import * as React from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import { toast } from "@/components/ui/toast";
import { ApiError, apiBaseUrl } from "@/lib/api";
import { isFinalStatus } from "@/lib/job-status";
import { cancelJob, declaredInputUnits, getFunctionVersion, inputFileNames, type FunctionVersion } from "@/lib/jobs";
import { formatExact } from "@/lib/exact-number";
import { ReportInputsTable } from "@/components/report/report-inputs-table";
import { reportInputRows } from "@/lib/report-inputs";
import { CopyAsButtons } from "./copy-as-buttons";
import { Elapsed } from "./elapsed";
import { JobLogs } from "./job-logs";
import { JobResults } from "./job-results";
import { JobStatusBadge } from "./job-status-badge";
import { useLiveJob } from "./use-live-job";

export function runAgainHref(job: { package: string; function: string; version?: string; job_id: string }): string {
  const query = new URLSearchParams({ package: job.package, function: job.function });
  if (job.version) query.set("version", job.version);
  query.set("from_job", job.job_id);
  return `/run/?${query.toString()}`;
}

export function JobView({ id }: { id: string }) {
  const live = useLiveJob(id);
  const { job, status, logs, progress, connection } = live;
  const [fn, setFn] = React.useState<FunctionVersion | null>(null);
  const [fileNames, setFileNames] = React.useState<Record<string, string>>({});
  const [cancelling, setCancelling] = React.useState(false);
  const final = isFinalStatus(status);
  const fnId = job?.function_version_id;

  React.useEffect(() => {
    if (!fnId) return;
    const controller = new AbortController();
    getFunctionVersion(fnId, controller.signal).then(setFn, () => {
      // the description is a nicety: the results stand without it
    });
    return () => controller.abort();
  }, [fnId]);

  const inputFiles = job?.input_files?.length ?? 0;
  React.useEffect(() => {
    if (!job || inputFiles === 0) return;
    const controller = new AbortController();
    inputFileNames(job, controller.signal).then(setFileNames, () => undefined);
    return () => controller.abort();
    // the names only depend on the job's files
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [job?.job_id, inputFiles]);

  const cancel = async () => {
    setCancelling(true);
    try {
      live.update(await cancelJob(id));
      toast("Cancel requested", { description: "The job stops within a few seconds." });
    } catch (e) {
      toast("The job could not be cancelled", { kind: "error", description: e instanceof ApiError ? e.detail || e.title : undefined });
    } finally {
      setCancelling(false);
    }
  };

  if (live.missing) {
    return (
      <Card>
        <CardHeader>
          <CardTitle>Job not found</CardTitle>
          <CardDescription>There is no job {id} among yours. It may belong to someone else, or the link is wrong.</CardDescription>
        </CardHeader>
        <CardContent>
          <Link className="text-primary underline-offset-4 hover:underline" href="/jobs/">
            Your jobs
          </Link>
        </CardContent>
      </Card>
    );
  }
  if (live.error && !job) {
    return (
      <p role="alert" className="text-destructive">
        {live.error}
      </p>
    );
  }
  if (!job) {
    return (
      <div aria-busy="true" className="grid gap-4">
        <h1 className="text-2xl font-semibold">Job</h1>
        <p className="text-muted-foreground">Loading the job…</p>
        <div className="h-40 animate-pulse rounded-lg bg-muted" />
      </div>
    );
  }

  // a function may report any number: the bar takes 0-100 (Radix refuses the rest)
  const pct = progress ? Math.min(100, Math.max(0, progress.pct)) : status === "completed" ? 100 : null;
  const apiUrl = apiBaseUrl() || (typeof window === "undefined" ? "" : window.location.origin);
  const packageHref = `/packages/view/?id=${encodeURIComponent(job.package)}`;
  const functionHref = `/functions/view/?package=${encodeURIComponent(job.package)}&name=${encodeURIComponent(job.function)}${job.version ? `&version=${encodeURIComponent(job.version)}` : ""}`;

  return (
    <div className="grid gap-8">
      <header className="grid gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold">
            <Link href={functionHref} className="font-mono hover:underline underline-offset-4">
              {job.function}
            </Link>
          </h1>
          <JobStatusBadge status={status} />
          {job.cached ? (
            <span className="text-sm text-muted-foreground">
              result reused
              {job.cached_from ? (
                <>
                  {" "}
                  from{" "}
                  <Link className="font-mono text-primary hover:underline" href={`/jobs/view/?id=${encodeURIComponent(job.cached_from)}`}>
                    {job.cached_from.slice(0, 8)}
                  </Link>
                </>
              ) : null}
            </span>
          ) : null}
        </div>
        <p className="text-sm text-muted-foreground">
          <Link href={packageHref} className="font-mono hover:underline underline-offset-4">
            {job.package}
          </Link>
          {job.version ? ` v${job.version}` : ""} · job <span className="font-mono">{job.job_id}</span>
        </p>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
          <Elapsed job={job} status={status} final={final} />
          {!final && connection === "reconnecting" ? (
            <span role="status" className="text-amber-700 dark:text-amber-300">
              Connection lost, reconnecting…
            </span>
          ) : null}
          {!final ? (
            <Button type="button" variant="destructive" size="sm" onClick={cancel} disabled={cancelling}>
              {cancelling ? "Cancelling…" : "Cancel job"}
            </Button>
          ) : null}
        </div>
        {!final || progress ? (
          <div className="grid gap-1">
            <Progress value={pct} aria-label="Progress of the job" />
            <p className="text-sm text-muted-foreground" aria-live="polite">
              {pct === null ? (status === "running" ? "Running…" : "Waiting for a worker…") : `${formatExact(Math.round(pct * 10) / 10)} %`}
              {progress?.msg ? ` — ${progress.msg}` : ""}
            </p>
          </div>
        ) : null}
      </header>

      <details className="group rounded-lg border p-4" open={!final}>
        <summary className="cursor-pointer rounded-sm text-lg font-semibold focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
          Inputs
        </summary>
        <div className="mt-3">
          <ReportInputsTable rows={reportInputRows(job, fn?.inputs, fileNames)} />
        </div>
      </details>

      {final ? (
        <>
          <JobResults job={job} outputPorts={fn?.outputs} />
          <section aria-labelledby="actions-title" className="grid gap-3">
            <h2 id="actions-title" className="text-lg font-semibold">
              Reuse this calculation
            </h2>
            <div className="flex flex-wrap gap-2">
              <Button asChild>
                <Link href={runAgainHref(job)}>Run again with these inputs</Link>
              </Button>
              <Button asChild variant="outline">
                <Link href={`/jobs/report/?id=${encodeURIComponent(job.job_id)}`}>Calculation report</Link>
              </Button>
            </div>
            <CopyAsButtons source={{ job, apiUrl, inputUnits: declaredInputUnits(fn), fileNames }} />
          </section>
        </>
      ) : null}

      <section aria-labelledby="logs-title" className="grid gap-3">
        <h2 id="logs-title" className="text-lg font-semibold">
          Logs
        </h2>
        <JobLogs entries={logs} live={!final} />
      </section>
    </div>
  );
}
