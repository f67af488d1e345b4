// The job API the job page and the calculation report call, with the answers' types as
// docs/jobs.md and src/api/openapi.json describe them (Job, its error, its files, the
// function version it ran and its package version's deploy report).
//
// Contract: every call goes through apiRequest (credentials, problem+json → ApiError,
// a 401 sends to sign-in); URLs for EventSource and downloads are absolute when
// NEXT_PUBLIC_API_URL is set, same-origin paths otherwise.
import { apiBaseUrl, apiRequest } from "./api";

const V1 = "/api/v1";

export type JobStatus = "pending" | "running" | "completed" | "failed" | "timeout" | "cancelled";

export interface JobError {
  type?: string;
  message?: string;
  traceback?: string;
}

export interface OutputFile {
  name: string;
  size: number;
  sha256?: string;
  url: string;
}

export interface InputFile {
  var: string;
  file_id: string;
  sha256?: string;
}

export interface Provenance {
  package?: string;
  version?: string;
  function_checksum?: string;
  interpreter?: string;
  platform?: string;
}

/** A quantity as a request may send it: a number in any unit of the input's dimension. */
export interface SentQuantity {
  value: number;
  unit: string;
}

export interface Job {
  job_id: string;
  status: JobStatus | string;
  package: string;
  package_id?: string;
  version?: string;
  function: string;
  function_version_id?: string;
  /** The inputs after unit conversion and defaults: numbers in the declared units. */
  inputs?: Record<string, unknown>;
  /** The request's `inputs` exactly as sent (e.g. `{value, unit}`); not every server sends it. */
  submitted_inputs?: Record<string, unknown>;
  input_files?: InputFile[];
  outputs?: Record<string, unknown>;
  output_files?: OutputFile[];
  units?: Record<string, string>;
  error?: JobError | null;
  exit_reason?: string;
  duration_ms?: number;
  cpu_ms?: number;
  memory_peak_mb?: number;
  cached?: boolean;
  cached_from?: string | null;
  attempts?: number;
  worker_id?: string;
  /** Who ran the job (the user's id). */
  owner?: string;
  created_at?: string;
  started_at?: string;
  finished_at?: string;
  provenance?: Provenance;
}

export interface PortType {
  kind: string;
  spelling?: string;
  name?: string;
  quantity?: string;
  unit?: string;
  element?: PortType;
  values?: unknown[];
  fields?: Port[];
}

export interface Port {
  name: string;
  type: PortType;
  description?: string;
  required?: boolean;
  default?: unknown;
  minimum?: number;
  maximum?: number;
}

export interface TestResult {
  name: string;
  function?: string;
  passed: boolean;
  duration_ms?: number;
  failures?: unknown[];
  error?: unknown;
  index?: number;
}

export interface FunctionVersion {
  id: string;
  name: string;
  package_id: string;
  version?: string;
  checksum?: string;
  description?: string;
  handler?: string;
  inputs: Port[];
  outputs: Port[];
  test_results?: TestResult[];
}

export interface PackageVersion {
  id: string;
  package_id: string;
  version: string;
  yanked?: boolean;
  source_sha256?: string;
  archive_sha256?: string;
  created_at?: string;
  report?: { tests?: { ran?: boolean; passed?: number; failed?: number }; warnings?: unknown[] };
}

export interface LogEntry {
  index: number;
  kind: "stdout" | "stderr";
  chunk: string;
}

export interface LogPage {
  entries: LogEntry[];
  next_index: number;
  done: boolean;
}

const enc = encodeURIComponent;

export function getJob(id: string, signal?: AbortSignal): Promise<Job> {
  return apiRequest<Job>(`${V1}/jobs/${enc(id)}`, { signal });
}

export function cancelJob(id: string): Promise<Job> {
  return apiRequest<Job>(`${V1}/jobs/${enc(id)}/cancel`, { method: "POST" });
}

export function getJobLogs(id: string, since: number, signal?: AbortSignal): Promise<LogPage> {
  return apiRequest<LogPage>(`${V1}/jobs/${enc(id)}/logs`, { query: { since, limit: 5000 }, signal });
}

export function getFunctionVersion(id: string, signal?: AbortSignal): Promise<FunctionVersion> {
  return apiRequest<FunctionVersion>(`${V1}/function-versions/${enc(id)}`, { signal });
}

/** The package's version `version`, looked up in its version list (there is no GET of one). */
export async function findPackageVersion(
  packageId: string,
  version: string,
  signal?: AbortSignal,
): Promise<PackageVersion | undefined> {
  for (let page = 1; page <= 20; page++) {
    const answer = await apiRequest<{ items: PackageVersion[]; total: number }>(
      `${V1}/packages/${enc(packageId)}/versions`,
      { query: { page, per_page: 100 }, signal },
    );
    const found = answer.items.find((v) => v.version === version);
    if (found || answer.items.length < 100 || page * 100 >= answer.total) return found;
  }
  return undefined;
}

/** The URL of the job's server-sent events, from log index `since` on. */
export function jobEventsUrl(id: string, since = 0): string {
  const query = since > 0 ? `?since=${since}` : "";
  return `${apiBaseUrl()}${V1}/jobs/${enc(id)}/events${query}`;
}

/** The absolute (or same-origin) URL of an output file from its `url` in the job answer. */
export function outputFileUrl(file: OutputFile): string {
  return /^https?:\/\//.test(file.url) ? file.url : apiBaseUrl() + file.url;
}

/** The names of a job's input files by input variable (a file that cannot be read is left out). */
export async function inputFileNames(job: Job, signal?: AbortSignal): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  await Promise.all(
    (job.input_files ?? []).map(async (f) => {
      try {
        const file = await apiRequest<{ filename: string }>(`${V1}/files/${enc(f.file_id)}`, { signal });
        names[f.var] = file.filename;
      } catch {
        // deleted since, or not ours: the copies fall back to the variable's name
      }
    }),
  );
  return names;
}

/** The declared unit of each input of a function version (quantities only). */
export function declaredInputUnits(fn: FunctionVersion | null | undefined): Record<string, string> {
  const units: Record<string, string> = {};
  for (const port of fn?.inputs ?? []) if (port.type?.unit) units[port.name] = port.type.unit;
  return units;
}
