// A minimal one-file upload with progress for the form's File inputs: POST /api/v1/files
// (multipart field "file") through XMLHttpRequest, whose upload.onprogress reports the
// bytes sent. The same contract as lib/upload.ts's uploadFile: resolves with the stored
// file, rejects with an ApiError (the problem's detail) on a non-2xx answer, and with an
// AbortError DOMException when `signal` aborts; sends the session's CSRF token.
import { ApiError, apiBaseUrl, CSRF_HEADER, currentCsrfToken } from "./api";
import type { UserFile } from "./run-api";

export interface UploadProgress {
  loaded: number;
  total: number;
}

export function uploadFile(
  file: File,
  options: { onProgress?: (p: UploadProgress) => void; signal?: AbortSignal } = {},
): Promise<UserFile> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${apiBaseUrl()}/api/v1/files`);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Accept", "application/json");
    const token = currentCsrfToken();
    if (token) xhr.setRequestHeader(CSRF_HEADER, token);
    xhr.upload.onprogress = (e) => options.onProgress?.({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(xhr.responseText) as Record<string, unknown>;
      } catch {
        body = {};
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        options.onProgress?.({ loaded: file.size, total: file.size });
        resolve(body as unknown as UserFile);
        return;
      }
      const text = (k: string) => (typeof body[k] === "string" ? (body[k] as string) : "");
      reject(
        new ApiError({
          type: text("type") || "about:blank",
          title: text("title") || `HTTP ${xhr.status}`,
          detail: text("detail"),
          status: xhr.status,
          requestId: text("request_id") || undefined,
        }),
      );
    };
    xhr.onerror = () =>
      reject(new ApiError({ type: "about:blank", title: "Network error", detail: "The server could not be reached.", status: 0 }));
    xhr.onabort = () => reject(new DOMException("The upload was cancelled.", "AbortError"));
    if (options.signal) {
      if (options.signal.aborted) return xhr.abort();
      options.signal.addEventListener("abort", () => xhr.abort(), { once: true });
    }
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}
