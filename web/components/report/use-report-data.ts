// useReportData: everything a calculation report shows about one job — the job, the
// function version it ran (declared inputs and outputs, checksum, its test results), the
// package version's deploy report (the test-case counts), who is signed in (to name the
// job's owner in full when it is them) and the names of the input files.
//
// Contract: `job` failing is fatal (missing on 404, error otherwise); the rest is
// optional — a part that cannot be read is left undefined and the report says so.
"use client";

import * as React from "react";
import { ApiError } from "@/lib/api";
import { getMe } from "@/lib/endpoints";
import {
  findPackageVersion,
  getFunctionVersion,
  getJob,
  inputFileNames,
  type FunctionVersion,
  type Job,
  type PackageVersion,
} from "@/lib/jobs";
import type { Me } from "@/lib/types";

export interface ReportData {
  job: Job | null;
  fn?: FunctionVersion;
  version?: PackageVersion;
  me?: Me;
  fileNames: Record<string, string>;
  loadingParts: boolean;
  missing: boolean;
  error: string | null;
}

export function useReportData(id: string): ReportData {
  const [state, setState] = React.useState<ReportData>({
    job: null,
    fileNames: {},
    loadingParts: true,
    missing: false,
    error: null,
  });

  React.useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    const optional = <T,>(promise: Promise<T>) => promise.catch(() => undefined);
    (async () => {
      let job: Job;
      try {
        job = await getJob(id, signal);
      } catch (e) {
        if (signal.aborted || (e instanceof ApiError && e.status === 401)) return;
        if (e instanceof ApiError && e.status === 404) setState((s) => ({ ...s, missing: true, loadingParts: false }));
        else setState((s) => ({ ...s, error: e instanceof ApiError ? e.detail || e.title : "The server could not be reached.", loadingParts: false }));
        return;
      }
      if (signal.aborted) return;
      setState((s) => ({ ...s, job }));
      const [fn, version, me, fileNames] = await Promise.all([
        job.function_version_id ? optional(getFunctionVersion(job.function_version_id, signal)) : undefined,
        job.package_id && job.version ? optional(findPackageVersion(job.package_id, job.version, signal)) : undefined,
        optional(getMe()),
        inputFileNames(job, signal),
      ]);
      if (signal.aborted) return;
      setState((s) => ({ ...s, fn, version, me, fileNames, loadingParts: false }));
    })();
    return () => controller.abort();
  }, [id]);

  return state;
}
