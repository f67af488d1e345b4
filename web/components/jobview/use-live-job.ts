// useLiveJob: a job kept current — fetched once, then followed over its event stream
// until it is final (status, progress, logs), or read whole when it already was.
//
// Contract: `job` is the latest full answer (the final one once the stream delivers it);
// `status` is the latest status; `logs` holds every entry once, in order; `progress` is
// the last progress line. A 404 gives `missing`, another failure `error` with the
// problem's detail; a 401 is left to the API client (it sends the browser to sign in).
"use client";

import * as React from "react";
import { ApiError } from "@/lib/api";
import { isFinalStatus } from "@/lib/job-status";
import { JobStream, type ConnectionState, type ProgressEntry } from "@/lib/job-stream";
import { getJob, getJobLogs, type Job, type LogEntry } from "@/lib/jobs";

export interface LiveJob {
  job: Job | null;
  status: string;
  logs: LogEntry[];
  progress: ProgressEntry | null;
  connection: ConnectionState;
  error: string | null;
  missing: boolean;
  /** Replace the job with a newer answer (e.g. the one a cancel returned). */
  update(job: Job): void;
}

function describe(e: unknown): string {
  if (e instanceof ApiError) return e.detail || e.title;
  return "The server could not be reached.";
}

async function readAllLogs(id: string, signal: AbortSignal): Promise<LogEntry[]> {
  const entries: LogEntry[] = [];
  let since = 0;
  for (let page = 0; page < 50; page++) {
    const answer = await getJobLogs(id, since, signal);
    entries.push(...answer.entries);
    if (answer.done || answer.next_index <= since || answer.entries.length === 0) break;
    since = answer.next_index;
  }
  return entries;
}

export function useLiveJob(id: string): LiveJob {
  const [job, setJob] = React.useState<Job | null>(null);
  const [status, setStatus] = React.useState("");
  const [logs, setLogs] = React.useState<LogEntry[]>([]);
  const [progress, setProgress] = React.useState<ProgressEntry | null>(null);
  const [connection, setConnection] = React.useState<ConnectionState>("connecting");
  const [error, setError] = React.useState<string | null>(null);
  const [missing, setMissing] = React.useState(false);

  React.useEffect(() => {
    const controller = new AbortController();
    let stream: JobStream | undefined;
    setJob(null);
    setStatus("");
    setLogs([]);
    setProgress(null);
    setError(null);
    setMissing(false);

    const fail = (e: unknown) => {
      if (controller.signal.aborted) return;
      if (e instanceof ApiError && e.status === 401) return; // on the way to sign-in
      if (e instanceof ApiError && e.status === 404) setMissing(true);
      else setError(describe(e));
    };
    const finish = (final: Job) => {
      setJob(final);
      setStatus(final.status);
      setConnection("closed");
    };

    getJob(id, controller.signal).then((first) => {
      if (controller.signal.aborted) return;
      setJob(first);
      setStatus(first.status);
      if (isFinalStatus(first.status)) {
        setConnection("closed");
        readAllLogs(id, controller.signal).then((entries) => {
          if (!controller.signal.aborted) setLogs(entries);
        }, fail);
        return;
      }
      stream = new JobStream(id, {
        onStatus: (next) => {
          setStatus(next);
          // the page's copy of the job predates the start: time the run from now on
          if (next === "running") setJob((j) => (j && !j.started_at ? { ...j, started_at: new Date().toISOString() } : j));
        },
        onLog: (entry) => setLogs((previous) => [...previous, entry]),
        onProgress: setProgress,
        onFinal: finish,
        onConnection: setConnection,
        onTrouble: () => {
          // the stream was refused: a recheck tells a finished job, a lost session or a gone job
          getJob(id, controller.signal).then((now) => {
            if (controller.signal.aborted || !isFinalStatus(now.status)) return;
            stream?.stop();
            finish(now);
            readAllLogs(id, controller.signal).then((entries) => {
              if (!controller.signal.aborted) setLogs(entries);
            }, fail);
          }, fail);
        },
      });
      stream.start();
    }, fail);

    return () => {
      controller.abort();
      stream?.stop();
    };
  }, [id]);

  const update = React.useCallback((next: Job) => {
    setJob((previous) => ({ ...previous, ...next }));
    setStatus((previous) => (isFinalStatus(previous) ? previous : next.status));
  }, []);

  return { job, status, logs, progress, connection, error, missing, update };
}
