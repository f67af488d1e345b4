// The "copy as" strings of a job: the same calculation as an API call (curl), a Python SDK
// call and a CLI command, so an engineer can script what they ran in the browser.
//
// Contract:
//  - The inputs are the request's inputs as sent when the job has them (submitted_inputs),
//    else its converted inputs, each number then written with its declared unit.
//  - A quantity `{value, unit}` is written `(value, "unit")` for Python and `valueunit`
//    for the CLI (a space between when the unit would otherwise read as part of the number).
//  - Numbers are written exactly (formatExact); strings are quoted for their language;
//    shell words are single-quoted whenever they hold anything but [A-Za-z0-9_./:=@%+,-].
//  - File inputs: curl reuses the uploaded file by id ("files": {var: id}); Python passes a
//    Path and the CLI --input-file to the file's name, to upload again.
//  - The version is pinned (the job's version: "version" in the body, owner/name:version
//    for the SDK and the CLI), so the copy reruns the same code.
import { formatExact } from "./exact-number";
import type { Job } from "./jobs";

export interface CopySource {
  job: Job;
  /** The declared unit of each input (from the function version). */
  inputUnits?: Record<string, string | undefined>;
  /** The name of each input file (by input variable), when known. */
  fileNames?: Record<string, string>;
  /** The API's base URL, e.g. https://mecapy.example.com (no trailing slash). */
  apiUrl: string;
}

type Quantity = { value: number; unit: string };

export function isQuantity(value: unknown): value is Quantity {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const v = value as Record<string, unknown>;
  return keys.length === 2 && typeof v.value === "number" && typeof v.unit === "string";
}

/** The inputs to copy: as sent when known, else the converted ones with their declared units. */
export function inputsToCopy(source: CopySource): Record<string, unknown> {
  const { job, inputUnits } = source;
  const files = new Set((job.input_files ?? []).map((f) => f.var));
  const out: Record<string, unknown> = {};
  if (job.submitted_inputs) {
    for (const [name, value] of Object.entries(job.submitted_inputs)) if (!files.has(name)) out[name] = value;
    return out;
  }
  for (const [name, value] of Object.entries(job.inputs ?? {})) {
    if (files.has(name)) continue;
    const unit = inputUnits?.[name];
    out[name] = unit && typeof value === "number" ? { value, unit } : value;
  }
  return out;
}

const SAFE_SHELL_WORD = /^[A-Za-z0-9_./:=@%+,-]+$/;

export function shellQuote(word: string): string {
  if (word !== "" && SAFE_SHELL_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function jsonText(value: unknown): string {
  return JSON.stringify(value);
}

/** The job's execute request body: inputs, files by id, and the version pinned. */
export function executeBody(source: CopySource): Record<string, unknown> {
  const { job } = source;
  const body: Record<string, unknown> = {};
  if (job.version) body.version = job.version;
  body.inputs = inputsToCopy(source);
  const files = job.input_files ?? [];
  if (files.length) body.files = Object.fromEntries(files.map((f) => [f.var, f.file_id]));
  return body;
}

export function curlCommand(source: CopySource): string {
  const { job, apiUrl } = source;
  const url = `${apiUrl}/api/v1/packages/${encodeURIComponent(job.package)}/functions/${encodeURIComponent(job.function)}/execute`;
  return [
    `curl -X POST ${shellQuote(url)}`,
    `  -H "Authorization: Bearer $MECAPY_TOKEN"`,
    `  -H 'Content-Type: application/json'`,
    `  -d ${shellQuote(jsonText(executeBody(source)))}`,
  ].join(" \\\n");
}

const PYTHON_KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(
    " ",
  ),
);

function isPythonIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !PYTHON_KEYWORDS.has(name);
}

export function pythonLiteral(value: unknown): string {
  if (isQuantity(value)) return `(${formatExact(value.value)}, ${JSON.stringify(value.unit)})`;
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return formatExact(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}: ${pythonLiteral(v)}`);
  return `{${entries.join(", ")}}`;
}

function fileName(source: CopySource, variable: string): string {
  return source.fileNames?.[variable] ?? variable;
}

export function pythonCall(source: CopySource): string {
  const { job } = source;
  const ref = job.version ? `${job.package}:${job.version}` : job.package;
  const args: string[] = [];
  const extra: string[] = [];
  const push = (name: string, literal: string) => {
    if (isPythonIdentifier(name)) args.push(`${name}=${literal}`);
    else extra.push(`${JSON.stringify(name)}: ${literal}`);
  };
  for (const [name, value] of Object.entries(inputsToCopy(source))) push(name, pythonLiteral(value));
  const files = job.input_files ?? [];
  for (const f of files) push(f.var, `Path(${JSON.stringify(fileName(source, f.var))})`);
  if (extra.length) args.push(`**{${extra.join(", ")}}`);
  const fn = isPythonIdentifier(job.function) ? `pkg.${job.function}` : `getattr(pkg, ${JSON.stringify(job.function)})`;
  const lines = [
    ...(files.length ? ["from pathlib import Path", ""] : []),
    "from mecapy import MecaPyClient",
    "",
    "client = MecaPyClient.from_env()",
    `pkg = client.load(${JSON.stringify(ref)})`,
    `outputs = ${fn}(${args.join(", ")})`,
  ];
  return lines.join("\n");
}

/** A value as the CLI's --input takes it: numbers exact, units after them, structures as JSON. */
export function cliValue(value: unknown): string {
  if (isQuantity(value)) {
    const number = formatExact(value.value);
    const glued = /^[0-9.eE+\-/*^]/.test(value.unit) || value.unit === "";
    return glued ? `${number} ${value.unit}`.trim() : `${number}${value.unit}`;
  }
  if (typeof value === "number") return formatExact(value);
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  return JSON.stringify(value);
}

export function cliCommand(source: CopySource): string {
  const { job } = source;
  const words = ["mecapy", "run", shellQuote(job.package), shellQuote(job.function)];
  if (job.version) words.push("--version", shellQuote(job.version));
  for (const [name, value] of Object.entries(inputsToCopy(source))) words.push("--input", shellQuote(`${name}=${cliValue(value)}`));
  for (const f of job.input_files ?? []) words.push("--input-file", shellQuote(`${f.var}=./${fileName(source, f.var)}`));
  return words.join(" ");
}
