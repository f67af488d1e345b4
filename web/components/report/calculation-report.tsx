// CalculationReport: the print-ready record of one job for a design review — what ran
// (function, package, version, checksum), who ran it, when, how long and where; every
// input as sent and as converted; every output with its unit; the charts at print width;
// the output files; the version's test-case status. "Download PDF" is the browser's print.
"use client";

import Link from "next/link";
import * as React from "react";
import { OutputFiles } from "@/components/results/output-files";
import { OutputTable } from "@/components/results/output-table";
import { ResultCharts } from "@/components/results/result-charts";
import { JobErrorView } from "@/components/jobview/job-error";
import { JobStatusBadge } from "@/components/jobview/job-status-badge";
import { Button } from "@/components/ui/button";
import { formatDuration } from "@/lib/duration";
import { formatExact } from "@/lib/exact-number";
import { isFinalStatus } from "@/lib/job-status";
import { reportInputRows } from "@/lib/report-inputs";
import { detectCharts } from "@/lib/series";
import type { Me } from "@/lib/types";
import { ReportInputsTable } from "./report-inputs-table";
import { ReportTests } from "./report-tests";
import { useReportData } from "./use-report-data";
import "./report-print.css";

/** The charts' size in the report: the A4 text width (182 mm ≈ 688 CSS px). */
export const PRINT_CHART_SIZE = { width: 680, height: 280 };

/** Who ran the job: its owner, named in full when that is the signed-in user. */
export function ranByText(owner: string | undefined, me: Me | undefined): string | undefined {
  const mine = me && (!owner || owner === me.id || owner === me.username);
  if (mine) return me.display_name && me.display_name !== me.username ? `${me.display_name} (${me.username})` : me.username;
  return owner;
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  const id = `report-${title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return (
    <section aria-labelledby={id} className="grid gap-3">
      <h2 id={id} className="border-b pb-1 text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-1 gap-x-4 sm:grid-cols-[12rem_1fr] print:grid-cols-[12rem_1fr]">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="break-all">{children}</dd>
    </div>
  );
}

export function CalculationReport({ id }: { id: string }) {
  const data = useReportData(id);
  const { job, fn, version, me } = data;

  if (data.missing) {
    return (
      <p role="alert" className="text-destructive">
        There is no job {id} among yours.
      </p>
    );
  }
  if (data.error) {
    return (
      <p role="alert" className="text-destructive">
        {data.error}
      </p>
    );
  }
  if (!job) {
    return (
      <div aria-busy="true" className="grid gap-4">
        <h1 className="text-2xl font-semibold">Calculation report</h1>
        <p className="text-muted-foreground">Loading the report…</p>
        <div className="h-64 animate-pulse rounded-lg bg-muted" />
      </div>
    );
  }

  const final = isFinalStatus(job.status);
  const checksum = job.provenance?.function_checksum || fn?.checksum;
  const rows = reportInputRows(job, fn?.inputs, data.fileNames);
  const outputs = job.outputs ?? {};
  const ranBy = ranByText(job.owner, me);

  return (
    <article className="calc-report grid gap-8" aria-busy={data.loadingParts}>
      <header className="grid gap-3">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="grid gap-1">
            <p className="text-sm text-muted-foreground">MecaPy calculation report</p>
            <h1 className="text-2xl font-semibold">
              <span className="font-mono">{job.function}</span>{" "}
              <span className="text-base font-normal text-muted-foreground">
                {job.package}
                {job.version ? ` v${job.version}` : ""}
              </span>
            </h1>
            {fn?.description ? <p className="text-sm">{fn.description}</p> : null}
          </div>
          <div className="flex flex-wrap gap-2" data-print="hide">
            <Button type="button" onClick={() => window.print()} disabled={data.loadingParts}>
              Download PDF
            </Button>
            <Button asChild variant="outline">
              <Link href={`/jobs/view/?id=${encodeURIComponent(job.job_id)}`}>Back to the job</Link>
            </Button>
          </div>
        </div>
        <div className="flex items-center gap-2">
          <JobStatusBadge status={job.status} />
          {!final ? <span className="text-sm text-muted-foreground">The job is not finished: this report is incomplete.</span> : null}
        </div>
      </header>

      <Section title="Identification">
        <dl className="grid gap-1.5 text-sm">
          <Field label="Job">
            <span className="font-mono">{job.job_id}</span>
          </Field>
          <Field label="Function">
            <span className="font-mono">{job.function}</span>
            {fn?.handler ? <span className="text-muted-foreground"> ({fn.handler})</span> : null}
          </Field>
          <Field label="Package and version">
            <span className="font-mono">
              {job.package}
              {job.version ? `:${job.version}` : ""}
            </span>
          </Field>
          <Field label="Function checksum">
            <span className="font-mono text-xs">{checksum ? `sha256 ${checksum}` : "—"}</span>
          </Field>
          {version?.source_sha256 ? (
            <Field label="Package source">
              <span className="font-mono text-xs">sha256 {version.source_sha256}</span>
            </Field>
          ) : null}
          <Field label="Run by">{ranBy ?? "—"}</Field>
          <Field label="Submitted">{job.created_at || "—"}</Field>
          <Field label="Started">{job.started_at || "—"}</Field>
          <Field label="Finished">{job.finished_at || "—"}</Field>
          <Field label="Duration">
            {job.duration_ms !== undefined ? (
              <>
                {formatDuration(job.duration_ms)} <span className="text-muted-foreground">({formatExact(job.duration_ms)} ms)</span>
              </>
            ) : (
              "—"
            )}
          </Field>
          <Field label="Worker">
            <span className="font-mono">{job.worker_id || "—"}</span>
            {job.attempts && job.attempts > 1 ? <span> · {job.attempts} attempts</span> : null}
          </Field>
          <Field label="Runtime">
            Python {job.provenance?.interpreter ?? "—"} · MecaPy {job.provenance?.platform ?? "—"}
          </Field>
          {job.cached ? (
            <Field label="Result">
              reused from job <span className="font-mono">{job.cached_from ?? "—"}</span>
            </Field>
          ) : null}
        </dl>
      </Section>

      <Section title="Inputs">
        <ReportInputsTable rows={rows} />
      </Section>

      {job.status !== "completed" && final ? <JobErrorView job={job} /> : null}

      {job.status === "completed" || Object.keys(outputs).length ? (
        <Section title="Outputs">
          <OutputTable outputs={outputs} units={job.units} ports={fn?.outputs} expandArrays copyable={false} caption="Outputs with their units" />
        </Section>
      ) : null}

      {detectCharts(outputs, job.units, fn?.outputs).length ? (
        <Section title="Charts">
          <ResultCharts outputs={outputs} units={job.units} ports={fn?.outputs} fixed={PRINT_CHART_SIZE} title="" />
        </Section>
      ) : null}

      {job.output_files?.length ? (
        <Section title="Output files">
          <OutputFiles files={job.output_files} />
        </Section>
      ) : null}

      <Section title="Test cases">
        {data.loadingParts ? <p className="text-sm text-muted-foreground">Loading…</p> : <ReportTests version={version} fn={fn} />}
      </Section>

      <footer className="border-t pt-2 text-xs text-muted-foreground">
        Report of job {job.job_id}, printed from MecaPy. Numbers are shown exactly as computed (never rounded).
      </footer>
    </article>
  );
}
