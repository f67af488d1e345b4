// Where files are dropped, or picked with the button (a labelled, keyboard-reachable file
// input). Calls onFiles with every file given; `accept` restricts the picker only.
"use client";

import * as React from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";

export function DropZone({
  onFiles,
  multiple = true,
  accept,
  label,
  hint,
  disabled,
}: {
  onFiles: (files: File[]) => void;
  multiple?: boolean;
  accept?: string;
  label: string;
  hint?: string;
  disabled?: boolean;
}) {
  const input = React.useRef<HTMLInputElement>(null);
  const [over, setOver] = React.useState(false);
  const id = React.useId();

  return (
    <div
      onDragOver={(event) => {
        event.preventDefault();
        if (!disabled) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        if (disabled) return;
        const files = Array.from(event.dataTransfer.files);
        if (files.length) onFiles(multiple ? files : files.slice(0, 1));
      }}
      data-over={over || undefined}
      className={cn(
        "flex flex-col items-center justify-center gap-3 rounded-lg border-2 border-dashed p-8 text-center transition-colors",
        over ? "border-primary bg-accent" : "border-input",
        disabled && "opacity-50",
      )}
    >
      <p className="text-sm">
        Drop {multiple ? "files" : "a file"} here, or
      </p>
      <input
        ref={input}
        id={id}
        type="file"
        className="sr-only"
        multiple={multiple}
        accept={accept}
        disabled={disabled}
        tabIndex={-1}
        aria-label={label}
        onChange={(event) => {
          const files = Array.from(event.target.files ?? []);
          event.target.value = "";
          if (files.length) onFiles(files);
        }}
      />
      <Button type="button" variant="outline" disabled={disabled} onClick={() => input.current?.click()}>
        {label}
      </Button>
      {hint ? <p className="text-xs text-muted-foreground">{hint}</p> : null}
    </div>
  );
}
