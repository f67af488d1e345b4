// The history's table of jobs: a checkbox to pick the job for a comparison, its status,
// function (package and version), when it was created and how long it ran, each row
// linking to the job's page. At most `maxSelected` jobs can be picked: once reached, the
// other checkboxes are disabled until one is unpicked.
"use client";

import Link from "next/link";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { jobViewUrl, type Job } from "@/lib/jobs-history";
import { localTime, timeAgo } from "./format";
import { JobStatusBadge } from "./job-status-badge";

export interface JobsTableProps {
  jobs: Job[];
  selected: string[];
  maxSelected: number;
  onToggle: (job: Job) => void;
}

function duration(ms: number | undefined): string {
  if (ms === undefined || ms <= 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function JobsTable({ jobs, selected, maxSelected, onToggle }: JobsTableProps) {
  const full = selected.length >= maxSelected;
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead className="w-10">
            <span className="sr-only">Pick to compare</span>
          </TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Function</TableHead>
          <TableHead className="hidden sm:table-cell">Created</TableHead>
          <TableHead className="hidden text-right sm:table-cell">Ran for</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {jobs.map((job) => {
          const picked = selected.includes(job.job_id);
          return (
            <TableRow key={job.job_id} data-state={picked ? "selected" : undefined}>
              <TableCell>
                <input
                  type="checkbox"
                  className="h-4 w-4 accent-primary focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2"
                  checked={picked}
                  disabled={!picked && full}
                  onChange={() => onToggle(job)}
                  aria-label={`Compare the ${job.function} job of ${localTime(job.created_at)}`}
                />
              </TableCell>
              <TableCell>
                <JobStatusBadge status={job.status} />
              </TableCell>
              <TableCell className="min-w-40">
                <Link href={jobViewUrl(job.job_id)} className="font-medium underline-offset-4 hover:underline">
                  {job.function}
                </Link>
                <span className="block text-xs text-muted-foreground">
                  {job.package} {job.version}
                  {job.cached ? " · cached result" : ""}
                </span>
                <time dateTime={job.created_at} className="block text-xs text-muted-foreground sm:hidden">
                  {localTime(job.created_at)}
                </time>
              </TableCell>
              <TableCell className="hidden whitespace-nowrap sm:table-cell">
                <time dateTime={job.created_at} title={localTime(job.created_at)}>
                  {timeAgo(job.created_at)}
                </time>
                <span className="block text-xs text-muted-foreground">{localTime(job.created_at)}</span>
              </TableCell>
              <TableCell className="hidden whitespace-nowrap text-right tabular-nums sm:table-cell">{duration(job.duration_ms)}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
