// The dashboard's latest jobs (GET /jobs?per_page=5): status, function, when, each a link
// to its page. Loading, empty and error states included; a 401 is left to the API client.
"use client";

import Link from "next/link";
import * as React from "react";
import { Skeleton } from "@/components/ui/skeleton";
import { ApiError } from "@/lib/api";
import { jobViewUrl, listJobs, type Job } from "@/lib/jobs-history";
import { localTime, timeAgo } from "./format";
import { JobStatusBadge } from "./job-status-badge";

export const RECENT_JOBS = 5;

export function RecentJobs() {
  const [jobs, setJobs] = React.useState<Job[] | null>(null);
  const [error, setError] = React.useState<string | null>(null);

  React.useEffect(() => {
    const controller = new AbortController();
    listJobs({ page: 1, per_page: RECENT_JOBS }, controller.signal).then(
      (page) => setJobs(page.items),
      (e: unknown) => {
        if (controller.signal.aborted || (e instanceof ApiError && e.status === 401)) return;
        setError(e instanceof ApiError ? e.detail || e.title : "The server could not be reached.");
      },
    );
    return () => controller.abort();
  }, []);

  if (error) {
    return (
      <p role="alert" className="text-sm text-destructive">
        {error}
      </p>
    );
  }
  if (!jobs) {
    return (
      <ul aria-busy="true" aria-label="Loading the latest jobs" className="grid gap-2">
        {Array.from({ length: 3 }, (_, i) => (
          <li key={i}>
            <Skeleton className="h-12 w-full" />
          </li>
        ))}
      </ul>
    );
  }
  if (jobs.length === 0) {
    return (
      <p className="text-sm text-muted-foreground">
        No calculations yet. Pick a function in{" "}
        <Link href="/packages/" className="underline underline-offset-4">
          Packages
        </Link>{" "}
        and run it: its jobs appear here.
      </p>
    );
  }
  return (
    <ul className="grid gap-2">
      {jobs.map((job) => (
        <li key={job.job_id}>
          <Link
            href={jobViewUrl(job.job_id)}
            className="grid grid-cols-[auto_1fr] items-center gap-x-3 gap-y-1 rounded-md border px-3 py-2 text-sm hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring sm:flex"
          >
            <JobStatusBadge status={job.status} />
            <time
              dateTime={job.created_at}
              title={localTime(job.created_at)}
              className="justify-self-end text-muted-foreground sm:order-last"
            >
              {timeAgo(job.created_at)}
            </time>
            <span className="col-span-2 min-w-0 truncate sm:flex-1">
              <span className="font-medium">{job.function}</span>{" "}
              <span className="text-muted-foreground">
                {job.package} {job.version}
              </span>
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
