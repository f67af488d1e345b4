// A File input: one of the caller's files (those of an accepted type), or a new one
// uploaded on the spot with a progress bar and a cancel button; the chosen file's id is
// the value.
"use client";

import * as React from "react";
import { Controller, useFormContext } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Progress } from "@/components/ui/progress";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { describeUploadError, uploadFile, type StoredFile } from "@/lib/upload";
import type { FileField, FileValue } from "@/lib/schema-form";
import { describedBy, fieldIds } from "./field-ids";
import { FieldShell } from "./field-shell";
import type { LeafProps } from "./quantity-input";
import { UNSET } from "./simple-inputs";
import { useFieldError } from "./use-field-error";
import { UserFilesContext } from "./use-user-files";

// A cancelled upload: an AbortError, or an upload error of kind "aborted" (lib/upload.ts).
function isCancel(e: unknown): boolean {
  if (e instanceof DOMException && e.name === "AbortError") return true;
  return !!e && typeof e === "object" && (e as { kind?: unknown }).kind === "aborted";
}

function accepts(field: FileField, name: string): boolean {
  if (!field.extensions.length) return true;
  const ext = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
  return field.extensions.includes(ext);
}

export function FileInput({ field, path, label, hideLabel }: LeafProps<FileField>) {
  const { control } = useFormContext();
  const { files, error: listError, add } = React.useContext(UserFilesContext);
  const ids = fieldIds(path);
  const error = useFieldError(path);
  const picker = React.useRef<HTMLInputElement>(null);
  const [progress, setProgress] = React.useState<number | null>(null);
  const [uploadError, setUploadError] = React.useState<string | null>(null);
  const abort = React.useRef<AbortController | null>(null);
  React.useEffect(() => () => abort.current?.abort(), []);
  const types = field.extensions.length ? field.extensions.map((e) => `.${e}`).join(", ") : "";
  const description = [field.description, types ? `Accepted: ${types}` : ""].filter(Boolean).join(" · ");
  const text = label ?? field.label;
  const shown = error ?? uploadError ?? undefined;

  return (
    <Controller
      control={control}
      name={path}
      render={({ field: input }) => {
        const value = (input.value as FileValue | undefined) ?? { id: "", name: "" };
        const choices = (files ?? []).filter((f) => accepts(field, f.filename));
        const known = choices.some((f) => f.id === value.id);
        const upload = async (file: File) => {
          setUploadError(null);
          setProgress(0);
          const controller = new AbortController();
          abort.current = controller;
          try {
            const stored: StoredFile = await uploadFile(file, {
              signal: controller.signal,
              onProgress: (p) => setProgress(p.total ? Math.round((100 * p.loaded) / p.total) : 0),
            });
            add(stored);
            input.onChange({ id: stored.id, name: stored.filename });
          } catch (e) {
            if (!isCancel(e)) setUploadError(describeUploadError(e, file.name));
          } finally {
            setProgress(null);
            abort.current = null;
          }
        };
        return (
          <FieldShell ids={ids} label={text} description={description} error={shown} required={field.required} hideLabel={hideLabel}>
            <div className="flex flex-wrap items-center gap-2">
              <Select
                value={value.id || (field.required ? "" : UNSET)}
                onValueChange={(id) => {
                  const f = choices.find((c) => c.id === id);
                  input.onChange(id === UNSET || !f ? { id: "", name: "" } : { id: f.id, name: f.filename });
                }}
                disabled={files === null}
              >
                <SelectTrigger
                  id={ids.control}
                  ref={input.ref}
                  onBlur={input.onBlur}
                  className="min-w-0 flex-1 basis-48"
                  aria-invalid={shown ? true : undefined}
                  aria-describedby={describedBy(ids, !!description && !hideLabel, !!shown)}
                >
                  <SelectValue placeholder={files === null ? "Loading your files…" : choices.length ? "Choose one of your files…" : "No file of yours fits: upload one"} />
                </SelectTrigger>
                <SelectContent>
                  {field.required ? null : <SelectItem value={UNSET}>No file</SelectItem>}
                  {value.id && !known ? <SelectItem value={value.id}>{value.name || value.id}</SelectItem> : null}
                  {choices.map((f) => (
                    <SelectItem key={f.id} value={f.id}>
                      {f.filename}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
              <input
                ref={picker}
                type="file"
                hidden
                accept={types || undefined}
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  e.target.value = "";
                  if (file) void upload(file);
                }}
              />
              {progress === null ? (
                <Button type="button" variant="outline" onClick={() => picker.current?.click()} aria-label={`Upload a file for ${text}`}>
                  Upload…
                </Button>
              ) : (
                <div className="flex items-center gap-2">
                  <Progress value={progress} aria-label={`Uploading for ${text}`} className="w-24" />
                  <span className="text-xs tabular-nums">{progress} %</span>
                  <Button type="button" variant="ghost" size="sm" onClick={() => abort.current?.abort()}>
                    Cancel
                  </Button>
                </div>
              )}
            </div>
            {listError ? <p className="text-xs text-destructive">{listError}</p> : null}
          </FieldShell>
        );
      }}
    />
  );
}
