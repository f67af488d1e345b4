// Elapsed: how long a job has waited or run, ticking every second until it is final;
// then its run time (duration_ms, the exact figure in the title).
"use client";

import * as React from "react";
import { elapsedMs, formatDuration } from "@/lib/duration";
import { formatExact } from "@/lib/exact-number";
import type { Job } from "@/lib/jobs";

export function Elapsed({ job, status, final }: { job: Job; status: string; final: boolean }) {
  const [now, setNow] = React.useState(() => Date.now());
  React.useEffect(() => {
    if (final) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [final]);

  if (final) {
    const wall = elapsedMs(job.created_at, job.finished_at, now);
    return (
      <span>
        {job.duration_ms !== undefined ? (
          <span title={`${formatExact(job.duration_ms)} ms`}>Ran {formatDuration(job.duration_ms)}</span>
        ) : null}
        {wall !== undefined ? <span className="text-muted-foreground"> · {formatDuration(wall)} from submission</span> : null}
      </span>
    );
  }
  const running = status === "running";
  const since = running ? (job.started_at || job.created_at) : job.created_at;
  const ms = elapsedMs(since, undefined, now);
  if (ms === undefined) return null;
  return (
    <span aria-live="off">
      {running ? "Running for" : "Waiting for"} {formatDuration(ms)}
    </span>
  );
}
