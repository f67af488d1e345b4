// The leaf controls without units: plain numbers, text, raw JSON, selects for enums and
// literals, switches for booleans.
"use client";

import { Controller, useFormContext } from "react-hook-form";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/textarea";
import type { BooleanField, JsonField, NumberField, SelectField, StringField } from "@/lib/schema-form";
import { boundsHint } from "./bounds-hint";
import { describedBy, fieldIds } from "./field-ids";
import { FieldShell } from "./field-shell";
import type { LeafProps } from "./quantity-input";
import { useFieldError } from "./use-field-error";

// The Radix select cannot hold "", so an optional select's "not set" item has this value.
export const UNSET = "__unset__";

function useLeaf(path: string, description: string | undefined, hideLabel?: boolean) {
  const ids = fieldIds(path);
  const error = useFieldError(path);
  return {
    ids,
    error,
    aria: {
      "aria-invalid": error ? true : undefined,
      "aria-describedby": describedBy(ids, !!description && !hideLabel, !!error),
    },
  };
}

export function NumberInput({ field, path, label, hideLabel }: LeafProps<NumberField>) {
  const { register } = useFormContext();
  const description = [field.description, boundsHint(field), field.integer ? "whole number" : ""].filter(Boolean).join(" · ");
  const { ids, error, aria } = useLeaf(path, description, hideLabel);
  return (
    <FieldShell ids={ids} label={label ?? field.label} description={description} error={error} required={field.required} hideLabel={hideLabel}>
      <Input id={ids.control} inputMode={field.integer ? "numeric" : "decimal"} autoComplete="off" {...aria} {...register(path)} />
    </FieldShell>
  );
}

export function StringInput({ field, path, label, hideLabel }: LeafProps<StringField>) {
  const { register } = useFormContext();
  const { ids, error, aria } = useLeaf(path, field.description, hideLabel);
  return (
    <FieldShell ids={ids} label={label ?? field.label} description={field.description} error={error} required={field.required} hideLabel={hideLabel}>
      <Input id={ids.control} autoComplete="off" maxLength={field.maxLength} {...aria} {...register(path)} />
    </FieldShell>
  );
}

export function JsonInput({ field, path, label, hideLabel }: LeafProps<JsonField>) {
  const { register } = useFormContext();
  const description = [field.description, "JSON"].filter(Boolean).join(" · ");
  const { ids, error, aria } = useLeaf(path, description, hideLabel);
  return (
    <FieldShell ids={ids} label={label ?? field.label} description={description} error={error} required={field.required} hideLabel={hideLabel}>
      <Textarea id={ids.control} spellCheck={false} className="font-mono" {...aria} {...register(path)} />
    </FieldShell>
  );
}

export function SelectInput({ field, path, label, hideLabel }: LeafProps<SelectField>) {
  const { control } = useFormContext();
  const { ids, error, aria } = useLeaf(path, field.description, hideLabel);
  return (
    <FieldShell ids={ids} label={label ?? field.label} description={field.description} error={error} required={field.required} hideLabel={hideLabel}>
      <Controller
        control={control}
        name={path}
        render={({ field: select }) => (
          <Select value={(select.value as string) || (field.required ? "" : UNSET)} onValueChange={(v) => select.onChange(v === UNSET ? "" : v)}>
            <SelectTrigger id={ids.control} ref={select.ref} onBlur={select.onBlur} {...aria}>
              <SelectValue placeholder="Choose…" />
            </SelectTrigger>
            <SelectContent>
              {field.required ? null : <SelectItem value={UNSET}>Not set</SelectItem>}
              {field.options.map((o) => (
                <SelectItem key={o.key} value={o.key}>
                  {o.label}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        )}
      />
    </FieldShell>
  );
}

export function BooleanInput({ field, path, label, hideLabel }: LeafProps<BooleanField>) {
  const { control } = useFormContext();
  const { ids, error, aria } = useLeaf(path, field.description, hideLabel);
  return (
    <FieldShell ids={ids} label={label ?? field.label} description={field.description} error={error} hideLabel={hideLabel}>
      <Controller
        control={control}
        name={path}
        render={({ field: toggle }) => (
          <div className="flex items-center gap-2">
            <Switch id={ids.control} checked={toggle.value === true} onCheckedChange={toggle.onChange} ref={toggle.ref} onBlur={toggle.onBlur} {...aria} />
            <span className="text-sm text-muted-foreground" aria-hidden>
              {toggle.value === true ? "Yes" : "No"}
            </span>
          </div>
        )}
      />
    </FieldShell>
  );
}
