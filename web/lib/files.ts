// The files API the files page calls (docs/files.md): list, delete, and the content URL
// a download link points at (the session cookie travels with the navigation).
import { apiBaseUrl, apiRequest } from "./api";
import type { Page } from "./types";
import type { StoredFile } from "./upload";

export type FileSort = "created_at" | "-created_at" | "filename" | "-filename" | "size" | "-size";

export function listFiles(
  query: { page?: number; per_page?: number; q?: string; sort?: FileSort },
  signal?: AbortSignal,
): Promise<Page<StoredFile>> {
  return apiRequest<Page<StoredFile>>("/api/v1/files", { query, signal });
}

export function deleteFile(id: string): Promise<void> {
  return apiRequest<void>(`/api/v1/files/${encodeURIComponent(id)}`, { method: "DELETE" });
}

export function fileContentUrl(id: string): string {
  return `${apiBaseUrl()}/api/v1/files/${encodeURIComponent(id)}/content`;
}
