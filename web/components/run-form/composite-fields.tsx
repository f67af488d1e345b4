// The composite fields: a struct is a fieldset with a legend; a list is editable rows
// (add, remove; a fixed-size list such as a Vector3 has its rows, named x, y, z); a dict
// is rows of a name and a value.
"use client";

import { useFieldArray, useFormContext } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { initialValue, type DictField, type ListField, type StructField } from "@/lib/schema-form";
import { FieldControl } from "./field-control";
import { describedBy, fieldIds } from "./field-ids";
import { useFieldError } from "./use-field-error";

interface CompositeProps<F> {
  field: F;
  path: string;
  label?: string;
}

function Legend({ text, required, optionalNote }: { text: string; required: boolean; optionalNote?: string }) {
  return (
    <legend className="px-1 font-mono text-sm font-medium">
      {text}
      {required ? (
        <>
          <span aria-hidden className="ml-0.5 text-destructive">
            *
          </span>
          <span className="sr-only"> (required)</span>
        </>
      ) : optionalNote ? (
        <span className="ml-2 font-sans text-xs font-normal text-muted-foreground">{optionalNote}</span>
      ) : null}
    </legend>
  );
}

function GroupMessages({ path, description, error }: { path: string; description?: string; error?: string }) {
  const ids = fieldIds(path);
  return (
    <>
      {description ? (
        <p id={ids.help} className="text-xs text-muted-foreground">
          {description}
        </p>
      ) : null}
      {error ? (
        <p id={ids.error} className="text-sm font-medium text-destructive">
          {error}
        </p>
      ) : null}
    </>
  );
}

export function StructFieldset({ field, path, label }: CompositeProps<StructField>) {
  const ids = fieldIds(path);
  const error = useFieldError(path);
  return (
    <fieldset
      className="grid gap-4 rounded-md border p-4"
      aria-describedby={describedBy(ids, !!field.description, !!error)}
    >
      <Legend text={label ?? field.label} required={field.required} optionalNote="optional: leave all blank to omit" />
      <GroupMessages path={path} description={field.description} error={error} />
      <div className="grid gap-4 sm:grid-cols-2">
        {field.fields.map((f) => (
          <div key={f.name} className={f.kind === "struct" || f.kind === "list" || f.kind === "dict" ? "sm:col-span-2" : undefined}>
            <FieldControl field={f} path={`${path}.${f.name}`} />
          </div>
        ))}
      </div>
    </fieldset>
  );
}

const AXES = ["x", "y", "z"];

export function ListRows({ field, path, label }: CompositeProps<ListField>) {
  const { control } = useFormContext();
  const { fields: rows, append, remove } = useFieldArray({ control, name: path });
  const ids = fieldIds(path);
  const error = useFieldError(path);
  const text = label ?? field.label;
  const fixed = field.minItems !== undefined && field.minItems === field.maxItems;
  const canAdd = !fixed && (field.maxItems === undefined || rows.length < field.maxItems);
  const canRemove = !fixed && rows.length > (field.minItems ?? 0);
  const composite = field.item.kind === "struct" || field.item.kind === "list" || field.item.kind === "dict";
  const rowLabel = (i: number) => (fixed && rows.length === 3 ? AXES[i]! : `${text}[${i}]`);
  return (
    <fieldset className="grid gap-3 rounded-md border p-4" aria-describedby={describedBy(ids, !!field.description, !!error)}>
      <Legend text={text} required={field.required} optionalNote={fixed ? "optional: leave blank to omit" : "optional"} />
      <GroupMessages path={path} description={field.description} error={error} />
      {rows.length === 0 ? <p className="text-sm text-muted-foreground">No rows.</p> : null}
      <ol className={fixed && !composite ? "grid gap-3 sm:grid-cols-3" : "grid gap-3"}>
        {rows.map((row, i) => (
          <li key={row.id} className="flex items-start gap-2">
            <div className="min-w-0 flex-1">
              <FieldControl field={field.item} path={`${path}.${i}.v`} label={rowLabel(i)} hideLabel={!fixed && !composite} />
            </div>
            {canRemove ? (
              <Button type="button" variant="ghost" size="sm" className="mt-0.5" onClick={() => remove(i)} aria-label={`Remove ${text}[${i}]`}>
                Remove
              </Button>
            ) : null}
          </li>
        ))}
      </ol>
      {canAdd ? (
        <div>
          <Button type="button" variant="outline" size="sm" onClick={() => append({ v: initialValue(field.item) })}>
            Add a row to {text}
          </Button>
        </div>
      ) : null}
    </fieldset>
  );
}

export function DictRows({ field, path, label }: CompositeProps<DictField>) {
  const { control, register } = useFormContext();
  const { fields: rows, append, remove } = useFieldArray({ control, name: path });
  const ids = fieldIds(path);
  const error = useFieldError(path);
  const text = label ?? field.label;
  return (
    <fieldset className="grid gap-3 rounded-md border p-4" aria-describedby={describedBy(ids, !!field.description, !!error)}>
      <Legend text={text} required={field.required} optionalNote="optional" />
      <GroupMessages path={path} description={field.description} error={error} />
      {rows.length === 0 ? <p className="text-sm text-muted-foreground">No entries.</p> : null}
      <ol className="grid gap-3">
        {rows.map((row, i) => (
          <DictRow key={row.id} path={`${path}.${i}`} name={`${text}[${i}]`} register={register}>
            <FieldControl field={field.item} path={`${path}.${i}.v`} label={`Value of ${text}[${i}]`} hideLabel />
            <Button type="button" variant="ghost" size="sm" onClick={() => remove(i)} aria-label={`Remove ${text}[${i}]`}>
              Remove
            </Button>
          </DictRow>
        ))}
      </ol>
      <div>
        <Button type="button" variant="outline" size="sm" onClick={() => append({ key: "", v: initialValue(field.item) })}>
          Add an entry to {text}
        </Button>
      </div>
    </fieldset>
  );
}

function DictRow({
  path,
  name,
  register,
  children,
}: {
  path: string;
  name: string;
  register: ReturnType<typeof useFormContext>["register"];
  children: React.ReactNode;
}) {
  const ids = fieldIds(`${path}.key`);
  const error = useFieldError(`${path}.key`);
  return (
    <li className="grid items-start gap-2 sm:grid-cols-[minmax(0,12rem)_minmax(0,1fr)_auto]">
      <div className="grid gap-1.5">
        <Label htmlFor={ids.control} className="sr-only">
          Name of {name}
        </Label>
        <Input id={ids.control} placeholder="name" aria-invalid={error ? true : undefined} aria-describedby={describedBy(ids, false, !!error)} {...register(`${path}.key`)} />
        {error ? (
          <p id={ids.error} className="text-sm font-medium text-destructive">
            {error}
          </p>
        ) : null}
      </div>
      {children}
    </li>
  );
}
