// JobLogs: what a job wrote on stdout and stderr, in order, as it arrives. stderr is set
// apart by colour, a side rule and (for screen readers) its name. The box follows the end
// while the reader is there and stops when they scroll up ("Jump to latest" comes back).
"use client";

import { Button } from "@/components/ui/button";
import type { LogEntry } from "@/lib/jobs";
import { cn } from "@/lib/utils";
import { useStickToBottom } from "./stick-to-bottom";

export function JobLogs({ entries, live }: { entries: LogEntry[]; live: boolean }) {
  const { ref, following, onScroll, jumpToEnd } = useStickToBottom<HTMLDivElement>(entries.length);
  if (entries.length === 0) {
    return <p className="text-sm text-muted-foreground">{live ? "No output yet." : "The job wrote nothing on stdout or stderr."}</p>;
  }
  return (
    <div className="relative">
      <div
        ref={ref}
        onScroll={onScroll}
        tabIndex={0}
        role="log"
        aria-label="Job output (stdout and stderr)"
        className="relative max-h-96 overflow-auto rounded-md border bg-muted/40 p-3 font-mono text-xs leading-relaxed focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
      >
        {entries.map((entry) => (
          <div
            key={entry.index}
            data-kind={entry.kind}
            className={cn(
              "whitespace-pre-wrap break-words border-l-2 pl-2",
              entry.kind === "stderr"
                ? "border-amber-500 text-amber-800 dark:text-amber-300"
                : "border-transparent text-foreground",
            )}
          >
            {entry.kind === "stderr" ? <span className="sr-only">stderr: </span> : null}
            {entry.chunk.replace(/\n$/, "")}
          </div>
        ))}
      </div>
      {!following ? (
        <Button type="button" size="sm" variant="secondary" className="absolute bottom-2 right-4 shadow" onClick={jumpToEnd}>
          Jump to latest
        </Button>
      ) : null}
    </div>
  );
}
