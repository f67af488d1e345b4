// The job routes the history, the dashboard and the comparison call (GET /jobs and
// GET /jobs/{id}), and the job as they answer it (openapi.json's Job schema).
import { apiRequest } from "./api";
import type { Page } from "./types";

const V1 = "/api/v1";

export const JOB_STATUSES = ["pending", "running", "completed", "failed", "timeout", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export function isJobStatus(value: unknown): value is JobStatus {
  return typeof value === "string" && (JOB_STATUSES as readonly string[]).includes(value);
}

export interface JobError {
  type?: string;
  message?: string;
  traceback?: string;
}

export interface Job {
  job_id: string;
  status: string;
  package: string;
  package_id: string;
  version: string;
  function: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /** Output units by name; only GET /jobs/{id} sends them. */
  units?: Record<string, string>;
  error?: JobError | null;
  exit_reason?: string;
  duration_ms?: number;
  cached?: boolean;
  created_at: string;
  started_at?: string;
  finished_at?: string;
  provenance?: { function_checksum?: string; interpreter?: string; platform?: string };
}

/** GET /jobs's query: every field optional, empty ones are left out of the URL. */
export interface JobListQuery {
  [key: string]: string | number | undefined;
  page?: number;
  per_page?: number;
  status?: string;
  package?: string;
  function?: string;
  created_after?: string;
  created_before?: string;
}

export function listJobs(query: JobListQuery, signal?: AbortSignal): Promise<Page<Job>> {
  return apiRequest<Page<Job>>(`${V1}/jobs`, { query, signal });
}

export function getJob(id: string, signal?: AbortSignal): Promise<Job> {
  return apiRequest<Job>(`${V1}/jobs/${encodeURIComponent(id)}`, { signal });
}

/** One port of a function's io spec, as GET /packages/{id}/functions/{name} describes it. */
export interface FunctionPort {
  name: string;
  type?: { kind?: string; unit?: string; quantity?: string };
  description?: string;
}

export interface FunctionSpec {
  name: string;
  version?: string;
  inputs?: FunctionPort[];
  outputs?: FunctionPort[];
}

export function getFunctionSpec(packageId: string, name: string, version?: string, signal?: AbortSignal): Promise<FunctionSpec> {
  return apiRequest<FunctionSpec>(
    `${V1}/packages/${encodeURIComponent(packageId)}/functions/${encodeURIComponent(name)}`,
    { query: { version }, signal },
  );
}

/** The declared unit of each port that has one, by name. */
export function unitsOf(ports: FunctionPort[] | undefined): Record<string, string> {
  const units: Record<string, string> = {};
  for (const port of ports ?? []) if (port.type?.unit) units[port.name] = port.type.unit;
  return units;
}

export function jobViewUrl(id: string): string {
  return `/jobs/view/?id=${encodeURIComponent(id)}`;
}

export function compareUrl(a: string, b: string): string {
  return `/jobs/compare/?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`;
}
