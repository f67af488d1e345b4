// A quantity: a number typed as text and the unit it is in, chosen among the quantity's
// suggested units (the declared unit first and by default). The bounds, shown as a hint,
// are the declared unit's; the zod schema converts before checking them. A value typed in
// another unit shows what it is in the declared one ("= 304.8 mm").
"use client";

import { Controller, useFormContext, useWatch } from "react-hook-form";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { convert, displayUnit, formatNumber, normalizeUnit, parseNumber, type QuantityField, type QuantityValue } from "@/lib/schema-form";
import { boundsHint } from "./bounds-hint";
import { describedBy, fieldIds } from "./field-ids";
import { FieldShell } from "./field-shell";
import { useFieldError } from "./use-field-error";

export interface LeafProps<F> {
  field: F;
  path: string;
  label?: string;
  hideLabel?: boolean;
}

// The typed value in the declared unit, when it was typed in another one.
function inDeclaredUnit(field: QuantityField, current: QuantityValue | undefined): number | undefined {
  if (!current || normalizeUnit(current.unit) === normalizeUnit(field.unit)) return undefined;
  const n = parseNumber(current.value);
  return n === undefined || Number.isNaN(n) ? undefined : convert(n, current.unit, field.unit);
}

export function QuantityInput({ field, path, label, hideLabel }: LeafProps<QuantityField>) {
  const { register, control } = useFormContext();
  const ids = fieldIds(path);
  const error = useFieldError(`${path}.value`);
  const description = [field.description, boundsHint(field, field.unit)].filter(Boolean).join(" · ");
  const text = label ?? field.label;
  const current = useWatch({ control, name: path }) as QuantityValue | undefined;
  const converted = inDeclaredUnit(field, current);
  return (
    <FieldShell ids={ids} label={text} description={description} error={error} required={field.required} hideLabel={hideLabel}>
      <div className="flex gap-2">
        <Input
          id={ids.control}
          inputMode="decimal"
          autoComplete="off"
          className="min-w-0 flex-1"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(ids, !!description && !hideLabel, !!error)}
          {...register(`${path}.value`)}
        />
        {field.units.length > 1 ? (
          <Controller
            control={control}
            name={`${path}.unit`}
            render={({ field: unit }) => (
              <Select value={unit.value as string} onValueChange={unit.onChange}>
                <SelectTrigger className="w-28 shrink-0" aria-label={`Unit of ${text}`} ref={unit.ref} onBlur={unit.onBlur}>
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {field.units.map((u) => (
                    <SelectItem key={u} value={u}>
                      {displayUnit(u)}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            )}
          />
        ) : (
          <span className="flex h-10 w-28 shrink-0 items-center rounded-md border border-transparent px-3 text-sm text-muted-foreground">
            {displayUnit(field.unit)}
          </span>
        )}
      </div>
      {converted !== undefined ? (
        <p className="text-xs text-muted-foreground" aria-live="polite">
          = {formatNumber(converted)} {displayUnit(field.unit)}
        </p>
      ) : null}
    </FieldShell>
  );
}
