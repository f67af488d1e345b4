// JobErrorView: why a job did not complete — the Python error's type and message and its
// traceback (monospace, scrolls), or the reason a job timed out, was cancelled or lost.
import type { Job } from "@/lib/jobs";

const TITLES: Record<string, string> = {
  failed: "The job failed",
  timeout: "The job timed out",
  cancelled: "The job was cancelled",
};

const REASONS: Record<string, string> = {
  timeout: "The job ran past its time limit and was stopped.",
  cancelled: "It was stopped at a user's request; its outputs, if any, are incomplete.",
  worker_lost: "The worker running the job was lost, three times: it was given up.",
  oom: "The job ran out of memory.",
};

export function JobErrorView({ job }: { job: Job }) {
  const error = job.error;
  const reason = REASONS[job.exit_reason ?? ""] ?? REASONS[job.status];
  return (
    <section aria-labelledby="job-error-title" className="grid gap-3 rounded-lg border border-destructive/60 p-4 break-inside-avoid">
      <h2 id="job-error-title" className="text-lg font-semibold text-destructive">
        {error?.type || TITLES[job.status] || `The job ended ${job.status}`}
      </h2>
      {error?.message ? <p className="whitespace-pre-wrap break-words font-mono text-sm">{error.message}</p> : null}
      {reason ? <p className="text-sm">{reason}</p> : null}
      {job.exit_reason && job.exit_reason !== "ok" ? (
        <p className="text-sm text-muted-foreground">
          Exit reason: <span className="font-mono">{job.exit_reason}</span>
        </p>
      ) : null}
      {error?.traceback ? (
        <pre
          tabIndex={0}
          aria-label="Traceback"
          className="max-h-96 overflow-auto rounded-md bg-muted p-3 font-mono text-xs leading-relaxed focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring print:max-h-none print:whitespace-pre-wrap"
        >
          {error.traceback}
        </pre>
      ) : null}
    </section>
  );
}
