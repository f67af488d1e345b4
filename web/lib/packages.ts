// The packages API the package and function pages call (docs/packages.md), with the types
// of its answers that lib/types.ts does not have: versions, function versions with their
// io spec (ports whose types are trees), and the deploy report.
import { apiRequest } from "./api";
import type { Package, Page, Visibility } from "./types";
import { sendForm, type UploadOptions } from "./upload";

const V1 = "/api/v1";

// GET /packages/{id} lists the versions briefly; GET /packages/{id}/versions in full.
export interface VersionSummary {
  version: string;
  yanked: boolean;
  created_at?: string;
}

export interface PackageDetails extends Package {
  versions?: VersionSummary[];
}

export interface TestsSummary {
  ran?: boolean;
  passed?: number;
  failed?: number;
}

// A warning or a manifest error: `column` from the manifest reader, `col` and `rule` from
// the source scan.
export interface DeployProblem {
  file?: string;
  line?: number;
  column?: number;
  col?: number;
  rule?: string;
  message: string;
}

export interface DeployedFunction {
  name: string;
  status: "deployed" | "updated" | "unchanged";
  id?: string;
  checksum?: string;
}

export interface DeployReport {
  status: "created" | "new-version";
  package?: Package;
  version?: PackageVersion;
  functions?: DeployedFunction[];
  removed_functions?: string[];
  warnings?: DeployProblem[];
  notes?: string[];
  tests?: TestsSummary;
  interpreter?: { requested?: string; version?: string; path?: string };
  duration_ms?: number;
}

export interface PackageVersion {
  id?: string;
  package_id?: string;
  version: string;
  yanked?: boolean;
  source_sha256?: string;
  archive_sha256?: string;
  archive_size?: number;
  runtime?: Record<string, unknown>;
  report?: Partial<DeployReport>;
  created_at?: string;
}

export type TypeKind =
  | "numeric"
  | "integer"
  | "float"
  | "boolean"
  | "string"
  | "quantity"
  | "list"
  | "dict"
  | "literal"
  | "struct"
  | "file";

// A port's type, as the io spec stores it.
export interface PortType {
  kind: TypeKind;
  spelling: string;
  name?: string;
  quantity?: string;
  unit?: string;
  element?: PortType;
  size?: number;
  fields?: { name: string; type: PortType }[];
  values?: unknown[];
  extensions?: string[];
}

export interface Port {
  name: string;
  type: PortType;
  description?: string;
  required?: boolean;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
}

export interface TestResult {
  name?: string;
  passed?: boolean;
  error?: string | null;
  failures?: unknown[];
}

export interface FunctionVersion {
  id: string;
  name: string;
  package_id?: string;
  version?: string;
  checksum?: string;
  description?: string;
  handler?: string;
  entrypoint?: string[];
  inputs: Port[];
  outputs: Port[];
  input_schema?: Record<string, unknown>;
  output_schema?: Record<string, unknown>;
  resources?: { cpu?: number; memory_mb?: number; timeout_s?: number };
  interpreter?: { path?: string; version?: string };
  cache?: boolean;
  test_results?: TestResult[];
}

const pkg = (id: string) => `${V1}/packages/${encodeURIComponent(id)}`;

export function searchPackages(
  query: { page?: number; per_page?: number; search?: string; owner?: string; visibility?: string; archived?: boolean },
  signal?: AbortSignal,
): Promise<Page<Package>> {
  return apiRequest<Page<Package>>(`${V1}/packages`, { query, signal });
}

export function getPackage(id: string, signal?: AbortSignal): Promise<PackageDetails> {
  return apiRequest<PackageDetails>(pkg(id), { signal });
}

export function listVersions(id: string, signal?: AbortSignal): Promise<{ items: PackageVersion[]; total?: number }> {
  return apiRequest(`${pkg(id)}/versions`, { query: { include_yanked: true }, signal });
}

export function updatePackage(id: string, change: { visibility?: Visibility; archived?: boolean }): Promise<Package> {
  return apiRequest<Package>(pkg(id), { method: "PATCH", body: change });
}

export function setVersionYanked(id: string, version: string, yanked: boolean): Promise<PackageVersion> {
  return apiRequest<PackageVersion>(`${pkg(id)}/versions/${encodeURIComponent(version)}`, {
    method: "PATCH",
    body: { yanked },
  });
}

export function listFunctions(
  id: string,
  version?: string,
  signal?: AbortSignal,
): Promise<{ items: FunctionVersion[]; version?: string; total?: number }> {
  return apiRequest(`${pkg(id)}/functions`, { query: { version }, signal });
}

export function getFunction(id: string, name: string, version?: string, signal?: AbortSignal): Promise<FunctionVersion> {
  return apiRequest<FunctionVersion>(`${pkg(id)}/functions/${encodeURIComponent(name)}`, { query: { version }, signal });
}

// Deploys an archive: a new package (owned by `owner` when it is one of the caller's
// organisations), or a new version of `packageId` when given. Rejects with an UploadError
// whose `problem` carries the manifest's `errors`, `warnings` or `test_results`.
export function deployArchive(
  archive: File,
  target: { owner?: string; packageId?: string },
  options: UploadOptions = {},
): Promise<DeployReport> {
  const form = new FormData();
  form.append("archive", archive, archive.name);
  const path = target.packageId ? `${pkg(target.packageId)}/versions` : `${V1}/packages`;
  const query = target.packageId ? undefined : { owner: target.owner };
  return sendForm<DeployReport>(path, form, { sizeHint: archive.size, ...options, query });
}
