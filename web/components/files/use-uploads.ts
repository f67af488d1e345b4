// The upload queue of the files page: each added file is uploaded at once (through
// lib/upload.ts) with its own progress and AbortController; cancel(key) aborts one.
// onStored is called with each file the server stored. Finished and failed entries stay
// listed until dismissed (clearFinished) so their outcome can be read.
"use client";

import * as React from "react";
import { describeUploadError, type StoredFile, uploadFile } from "@/lib/upload";

export type UploadState = "uploading" | "done" | "failed" | "cancelled";

export interface UploadEntry {
  key: string;
  name: string;
  size: number;
  loaded: number;
  state: UploadState;
  error?: string;
}

let counter = 0;

export function useUploads(onStored: (file: StoredFile) => void) {
  const [entries, setEntries] = React.useState<UploadEntry[]>([]);
  const controllers = React.useRef(new Map<string, AbortController>());
  const stored = React.useRef(onStored);
  React.useEffect(() => {
    stored.current = onStored;
  }, [onStored]);

  const update = React.useCallback((key: string, change: Partial<UploadEntry>) => {
    setEntries((list) => list.map((e) => (e.key === key ? { ...e, ...change } : e)));
  }, []);

  const add = React.useCallback(
    (files: File[]) => {
      const added = files.map((file) => ({ file, key: `upload-${++counter}` }));
      setEntries((list) => [
        ...added.map(({ file, key }) => ({ key, name: file.name, size: file.size, loaded: 0, state: "uploading" as const })),
        ...list,
      ]);
      for (const { file, key } of added) {
        const controller = new AbortController();
        controllers.current.set(key, controller);
        uploadFile(file, {
          signal: controller.signal,
          onProgress: ({ loaded }) => update(key, { loaded }),
        }).then(
          (result) => {
            update(key, { state: "done", loaded: file.size });
            stored.current(result);
          },
          (error: unknown) => {
            const cancelled = controller.signal.aborted;
            update(key, { state: cancelled ? "cancelled" : "failed", error: describeUploadError(error, file.name) });
          },
        ).finally(() => controllers.current.delete(key));
      }
    },
    [update],
  );

  const cancel = React.useCallback((key: string) => controllers.current.get(key)?.abort(), []);

  const clearFinished = React.useCallback(() => setEntries((list) => list.filter((e) => e.state === "uploading")), []);

  React.useEffect(() => {
    const live = controllers.current;
    return () => live.forEach((c) => c.abort());
  }, []);

  return { entries, add, cancel, clearFinished };
}
