// The uploads in progress and their outcome: a progress bar per file with its percentage,
// a cancel button while it runs, the error when it failed.
"use client";

import { Button } from "@/components/ui/button";
import { Progress } from "@/components/ui/progress";
import { humanSize } from "@/lib/format";
import type { UploadEntry } from "./use-uploads";

export function percentOf(entry: Pick<UploadEntry, "loaded" | "size" | "state">): number {
  if (entry.state === "done") return 100;
  if (entry.size <= 0) return 0;
  return Math.min(100, Math.floor((entry.loaded / entry.size) * 100));
}

const STATE_TEXT = { uploading: "", done: "Stored", failed: "Failed", cancelled: "Cancelled" } as const;

export function UploadList({
  entries,
  onCancel,
  onClear,
}: {
  entries: UploadEntry[];
  onCancel: (key: string) => void;
  onClear: () => void;
}) {
  if (entries.length === 0) return null;
  const finished = entries.some((e) => e.state !== "uploading");
  return (
    <section aria-label="Uploads" className="grid gap-2">
      <ul className="grid gap-2">
        {entries.map((entry) => {
          const percent = percentOf(entry);
          return (
            <li key={entry.key} className="grid gap-1.5 rounded-md border p-3">
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                <span className="min-w-0 flex-1 truncate font-medium" title={entry.name}>
                  {entry.name}
                </span>
                <span className="text-xs text-muted-foreground">
                  {entry.state === "uploading"
                    ? `${humanSize(Math.min(entry.loaded, entry.size))} of ${humanSize(entry.size)} · ${percent}%`
                    : `${humanSize(entry.size)} · ${STATE_TEXT[entry.state]}`}
                </span>
                {entry.state === "uploading" ? (
                  <Button size="sm" variant="ghost" onClick={() => onCancel(entry.key)} aria-label={`Cancel the upload of ${entry.name}`}>
                    Cancel
                  </Button>
                ) : null}
              </div>
              {entry.state === "uploading" || entry.state === "done" ? (
                <Progress value={percent} aria-label={`Upload of ${entry.name}`} />
              ) : null}
              {entry.state === "failed" ? (
                <p role="alert" className="text-sm text-destructive">
                  {entry.error}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
      {finished ? (
        <div>
          <Button size="sm" variant="outline" onClick={onClear}>
            Clear finished
          </Button>
        </div>
      ) : null}
    </section>
  );
}
