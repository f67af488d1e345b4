// Uploads with a real progress bar: multipart bodies sent through XMLHttpRequest, whose
// upload.onprogress reports the bytes actually sent (fetch cannot).
//
// Contract:
//  - sendForm(path, form, options) POSTs a FormData to the API (same base URL, credentials
//    and X-CSRF-Token as lib/api.ts), calls onProgress({loaded, total}) as bytes leave (and
//    {total, total} once a 2xx arrived), and resolves with the parsed JSON answer of a 2xx.
//  - options.signal aborts the request: the promise rejects with an UploadError whose kind
//    is "aborted" (the server keeps nothing of an interrupted upload).
//  - A non-2xx answer rejects with an UploadError of kind "http": an ApiError with the
//    problem's type/title/detail/status, plus `problem`, every member of the problem+json
//    body (a deploy's `errors`, `warnings`, `test_results`...). A 401 also sends the browser
//    to sign-in, as apiRequest does.
//  - A connection that fails without an answer rejects with kind "network" (status 0).
//  - uploadFile(file, options) stores one file (POST /api/v1/files, multipart field
//    "file") and resolves with the created file's metadata.
import { ApiError, apiBaseUrl, browser, CSRF_HEADER, currentCsrfToken, setCsrfToken, signInUrl } from "./api";

export interface StoredFile {
  id: string;
  filename: string;
  original_filename: string;
  size: number;
  sha256: string;
  content_type: string;
  created_at: string;
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadOptions {
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
  query?: Record<string, string | undefined>;
  // The body's size, for progress when the browser does not know it (defaults to 0).
  sizeHint?: number;
}

export type UploadErrorKind = "http" | "aborted" | "network";

export class UploadError extends ApiError {
  readonly kind: UploadErrorKind;
  readonly problem: Record<string, unknown>;

  constructor(
    kind: UploadErrorKind,
    init: { type: string; title: string; detail: string; status: number; requestId?: string },
    problem: Record<string, unknown> = {},
  ) {
    super(init);
    this.name = "UploadError";
    this.kind = kind;
    this.problem = problem;
  }
}

// The slug of a problem type: "/docs/problems#file-too-large" gives "file-too-large".
export function problemSlug(type: string): string {
  const hash = type.lastIndexOf("#");
  const slash = type.lastIndexOf("/");
  return type.slice(Math.max(hash, slash) + 1);
}

function withQuery(path: string, query: UploadOptions["query"]): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

function problemOf(xhr: XMLHttpRequest): UploadError {
  let body: unknown;
  try {
    body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
  } catch {
    body = undefined;
  }
  const problem = (body && typeof body === "object" && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const text = (key: string) => (typeof problem[key] === "string" ? (problem[key] as string) : undefined);
  return new UploadError(
    "http",
    {
      type: text("type") ?? "about:blank",
      title: text("title") ?? (xhr.statusText || `HTTP ${xhr.status}`),
      detail: text("detail") ?? "",
      status: xhr.status,
      requestId: text("request_id"),
    },
    problem,
  );
}

export function sendForm<T>(path: string, form: FormData, options: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const { signal, onProgress } = options;
    const aborted = () =>
      new UploadError("aborted", { type: "aborted", title: "Cancelled", detail: "The upload was cancelled.", status: 0 });
    if (signal?.aborted) {
      reject(aborted());
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open("POST", apiBaseUrl() + withQuery(path, options.query));
    xhr.withCredentials = true;
    xhr.setRequestHeader("Accept", "application/json");
    const token = currentCsrfToken();
    if (token) xhr.setRequestHeader(CSRF_HEADER, token);

    const onAbortSignal = () => xhr.abort();
    const done = () => signal?.removeEventListener("abort", onAbortSignal);
    signal?.addEventListener("abort", onAbortSignal);

    // A listener (not onprogress) must be in place before send() for the upload events to fire.
    // When the browser cannot tell the body's length, the caller's size hint stands in.
    let total = options.sizeHint ?? 0;
    if (onProgress) {
      xhr.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable && event.total > 0) total = event.total;
        onProgress({ loaded: Math.min(event.loaded, total || event.loaded), total });
      });
    }
    xhr.onload = () => {
      done();
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.({ loaded: total, total }); // answered: every byte arrived
        try {
          resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
        } catch {
          reject(new UploadError("http", { type: "about:blank", title: "Unreadable answer", detail: "The server's answer is not JSON.", status: xhr.status }));
        }
        return;
      }
      const error = problemOf(xhr);
      if (xhr.status === 401) {
        setCsrfToken(undefined);
        browser.navigate(signInUrl(browser.here()));
      }
      reject(error);
    };
    xhr.onerror = () => {
      done();
      reject(
        new UploadError("network", {
          type: "network",
          title: "Connection lost",
          detail: "The connection to the server was lost before it answered.",
          status: 0,
        }),
      );
    };
    xhr.onabort = () => {
      done();
      reject(aborted());
    };
    xhr.send(form);
  });
}

export async function uploadFile(file: File, options: UploadOptions = {}): Promise<StoredFile> {
  const form = new FormData();
  form.append("file", file, file.name);
  const answer = await sendForm<StoredFile | { files: StoredFile[] }>("/api/v1/files", form, {
    sizeHint: file.size,
    ...options,
  });
  const stored = "files" in answer ? answer.files[0] : answer;
  if (!stored) throw new UploadError("http", { type: "about:blank", title: "Empty answer", detail: "The server stored no file.", status: 201 });
  return stored;
}

// What to tell the user about a failed upload of `name`.
export function describeUploadError(error: unknown, name: string): string {
  if (!(error instanceof ApiError)) return `${name}: the upload failed.`;
  if (error instanceof UploadError && error.kind === "aborted") return `${name}: cancelled.`;
  if (error instanceof UploadError && error.kind === "network") {
    return `${name}: the connection was lost before the server answered (too large, or the server is unreachable).`;
  }
  const detail = error.detail || error.title;
  switch (problemSlug(error.type)) {
    case "file-too-large":
      return `${name} is larger than the server accepts. ${detail}`;
    case "quota-exceeded":
      return `${name} does not fit in your storage quota. ${detail}`;
    case "storage-full":
      return `The server's storage is full; nothing was kept, retry later. ${detail}`;
    default:
      return detail;
  }
}
