// The caller's files (newest first, up to 100) for the File inputs' pickers, loaded once
// per form; `add` puts a file just uploaded at the top.
"use client";

import * as React from "react";
import { errorText, isSignInRedirect } from "@/lib/error-text";
import { listFiles } from "@/lib/files";
import type { StoredFile } from "@/lib/upload";

export interface UserFiles {
  files: StoredFile[] | null;
  error: string | null;
  add(file: StoredFile): void;
}

export function useUserFiles(enabled: boolean): UserFiles {
  const [files, setFiles] = React.useState<StoredFile[] | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  React.useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    listFiles({ per_page: 100 }, controller.signal).then(
      (page) => setFiles(page.items),
      (e: unknown) => {
        if (controller.signal.aborted || isSignInRedirect(e)) return;
        setError(errorText(e));
        setFiles([]);
      },
    );
    return () => controller.abort();
  }, [enabled]);
  const add = React.useCallback((file: StoredFile) => setFiles((list) => [file, ...(list ?? []).filter((f) => f.id !== file.id)]), []);
  return { files, error, add };
}

export const UserFilesContext = React.createContext<UserFiles>({ files: [], error: null, add: () => {} });
