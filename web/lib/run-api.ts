// The API calls of the calculation form (/run/): the function to run, the type
// catalogue, an earlier job (to run it again), and execute. (The caller's files and
// uploads are lib/files.ts's and lib/upload.ts's.)
// Types list only the fields the form reads; the API sends more.
import { ApiError, apiBaseUrl, apiRequest, browser, CSRF_HEADER, currentCsrfToken, setCsrfToken, signInUrl } from "./api";
import type { IoPort, JsonSchema, TypeCatalog } from "./schema-form";

const V1 = "/api/v1";

export interface FunctionVersion {
  id: string;
  name: string;
  package_id: string;
  version: string;
  description?: string;
  inputs: IoPort[];
  input_schema: JsonSchema;
  checksum?: string;
}

export interface JobSummary {
  job_id: string;
  status: string;
  package?: string;
  function?: string;
  version?: string;
  inputs?: Record<string, unknown>;
  input_files?: { var: string; file_id: string; sha256?: string }[];
}

export interface ExecuteRequest {
  inputs: Record<string, unknown>;
  files?: Record<string, string>;
  version?: string;
  async?: boolean;
}

// One problem of a 422 invalid-inputs answer.
export interface InputProblem {
  pointer: string;
  message: string;
}

const pkg = (id: string) => encodeURIComponent(id);

export function getFunction(packageId: string, name: string, version?: string, signal?: AbortSignal) {
  return apiRequest<FunctionVersion>(`${V1}/packages/${pkg(packageId)}/functions/${encodeURIComponent(name)}`, {
    query: { version },
    signal,
  });
}

export function getTypeCatalog(signal?: AbortSignal) {
  return apiRequest<TypeCatalog>(`${V1}/types/catalog`, { signal, redirectOn401: false });
}

// How the server converts `from` into `to` (UDUNITS-2): to = from * factor + offset.
export interface UnitConversion {
  from: string;
  to: string;
  dimension: string;
  factor: number;
  offset: number;
}

export function getConversion(from: string, to: string, signal?: AbortSignal) {
  return apiRequest<UnitConversion>(`${V1}/types/conversion`, { query: { from, to }, signal, redirectOn401: false });
}

export function getJob(id: string, signal?: AbortSignal) {
  return apiRequest<JobSummary>(`${V1}/jobs/${encodeURIComponent(id)}`, { signal });
}

// A 422 invalid-inputs answer: every problem at its JSON pointer.
export class InvalidInputsError extends ApiError {
  readonly problems: InputProblem[];
  constructor(init: ConstructorParameters<typeof ApiError>[0], problems: InputProblem[]) {
    super(init);
    this.name = "InvalidInputsError";
    this.problems = problems;
  }
}

function problemsOf(body: Record<string, unknown>): InputProblem[] {
  const errors = Array.isArray(body.errors) ? body.errors : [];
  return errors
    .filter((e): e is Record<string, unknown> => !!e && typeof e === "object")
    .map((e) => ({ pointer: typeof e.pointer === "string" ? e.pointer : "", message: String(e.message ?? "") }));
}

// POST .../execute. Like apiRequest (base URL, credentials, CSRF token, a 401 sends to
// sign-in), but a 422 keeps the problem's `errors` list: it throws InvalidInputsError.
export async function executeFunction(packageId: string, name: string, body: ExecuteRequest): Promise<JobSummary> {
  const headers: Record<string, string> = { Accept: "application/json", "Content-Type": "application/json" };
  const token = currentCsrfToken();
  if (token) headers[CSRF_HEADER] = token;
  const response = await fetch(
    `${apiBaseUrl()}${V1}/packages/${pkg(packageId)}/functions/${encodeURIComponent(name)}/execute`,
    { method: "POST", headers, body: JSON.stringify(body), credentials: "include" },
  );
  let answer: Record<string, unknown> = {};
  try {
    answer = (await response.json()) as Record<string, unknown>;
  } catch {
    answer = {};
  }
  if (response.ok) return answer as unknown as JobSummary;
  const text = (k: string) => (typeof answer[k] === "string" ? (answer[k] as string) : "");
  const init = {
    type: text("type") || "about:blank",
    title: text("title") || response.statusText || `HTTP ${response.status}`,
    detail: text("detail"),
    status: response.status,
    requestId: text("request_id") || undefined,
  };
  if (response.status === 401) {
    setCsrfToken(undefined);
    browser.navigate(signInUrl(browser.here()));
  }
  const problems = problemsOf(answer);
  if (response.status === 422 && problems.length) throw new InvalidInputsError(init, problems);
  throw new ApiError(init);
}
