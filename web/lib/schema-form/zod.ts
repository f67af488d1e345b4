// The zod schema of a form model: it checks in the browser what the server checks of the
// same inputs (required, bounds — in the declared unit, whatever unit the value is typed
// in —, exclusive bounds, multipleOf, integers, string lengths and patterns, enum/const,
// item counts, file types) on the form values (types.ts), with each problem at the path
// of the control it concerns (the form's field names, e.g. "flange.t.value" for a
// quantity's number, "loads.2.v.value", "mode"; a list's count at the list, "loads").
import { z } from "zod";
import * as m from "./messages";
import { parseNumber } from "./numbers";
import { convert, normalizeUnit } from "./units";
import { isBlank } from "./values";
import type {
  Field,
  FieldValue,
  FileValue,
  FormModel,
  NumberBounds,
  QuantityValue,
  SelectField,
  StringField,
} from "./types";

type Ctx = z.core.$RefinementCtx;

// zod prefixes an issue's path in place as it goes up the tree: give it a fresh array.
function issue(ctx: Ctx, message: string, path: readonly (string | number)[] = []) {
  ctx.addIssue({ code: "custom", message, path: [...path] });
}

// Checks a number n (in the declared unit) against bounds; the message converts a limit
// to the unit the value was typed in. A converted value gets a relative tolerance of
// 1e-9, so 5 cm is not refused by a maximum of 50 mm for a rounding bit.
function checkBounds(
  ctx: Ctx,
  n: number,
  b: NumberBounds,
  unit: string | undefined,
  typed: string | undefined,
  path: readonly (string | number)[] = [],
): void {
  const converted = !!unit && !!typed && normalizeUnit(unit) !== normalizeUnit(typed);
  const slack = (limit: number) => (converted ? 1e-9 * Math.max(Math.abs(limit), Math.abs(n)) : 0);
  const shown = (limit: number) => {
    if (!converted || !unit || !typed) return undefined;
    const value = convert(limit, unit, typed);
    return value === undefined ? undefined : { value, unit: typed };
  };
  const say = (relation: m.Relation, limit: number) => issue(ctx, m.bound(relation, limit, unit, shown(limit)), path);
  if (b.minimum !== undefined && n < b.minimum - slack(b.minimum)) say("≥", b.minimum);
  else if (b.exclusiveMinimum !== undefined && n <= b.exclusiveMinimum + slack(b.exclusiveMinimum)) say(">", b.exclusiveMinimum);
  if (b.maximum !== undefined && n > b.maximum + slack(b.maximum)) say("≤", b.maximum);
  else if (b.exclusiveMaximum !== undefined && n >= b.exclusiveMaximum - slack(b.exclusiveMaximum)) say("<", b.exclusiveMaximum);
  if (b.multipleOf !== undefined) {
    const q = n / b.multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9 * Math.max(1, Math.abs(q))) issue(ctx, m.multipleOf(b.multipleOf, unit), path);
  }
}

const AT_NUMBER = ["value"] as const;

// A quantity's problems are reported at its number ("d.value"), the control they concern.
function quantitySchema(field: Extract<Field, { kind: "quantity" }>, required: boolean) {
  return z.custom<QuantityValue>().superRefine((v, ctx) => {
    const n = parseNumber(v?.value ?? "");
    if (n === undefined) return void (required && issue(ctx, m.REQUIRED, AT_NUMBER));
    if (Number.isNaN(n)) return issue(ctx, m.NOT_A_NUMBER, AT_NUMBER);
    const declared = convert(n, v.unit, field.unit);
    if (declared === undefined) return; // a unit this browser cannot convert: the server checks
    checkBounds(ctx, declared, field, field.unit, v.unit, AT_NUMBER);
  });
}

function numberSchema(field: Extract<Field, { kind: "number" }>, required: boolean) {
  return z.custom<string>().superRefine((v, ctx) => {
    const n = parseNumber(typeof v === "string" ? v : "");
    if (n === undefined) return void (required && issue(ctx, m.REQUIRED));
    if (Number.isNaN(n)) return issue(ctx, m.NOT_A_NUMBER);
    if (field.integer && !Number.isInteger(n)) return issue(ctx, m.NOT_WHOLE);
    checkBounds(ctx, n, field, undefined, undefined);
  });
}

function stringSchema(field: StringField, required: boolean) {
  let regex: RegExp | undefined;
  try {
    regex = field.pattern ? new RegExp(field.pattern, "u") : undefined;
  } catch {
    regex = undefined; // a pattern JavaScript cannot read: the server checks it
  }
  return z.custom<string>().superRefine((v, ctx) => {
    const text = typeof v === "string" ? v : "";
    if (text === "") return void (required && issue(ctx, m.REQUIRED));
    const length = [...text].length;
    if (field.minLength !== undefined && length < field.minLength) issue(ctx, m.minLength(field.minLength));
    if (field.maxLength !== undefined && length > field.maxLength) issue(ctx, m.maxLength(field.maxLength));
    if (regex && !regex.test(text)) issue(ctx, m.pattern(field.pattern!));
  });
}

function selectSchema(field: SelectField, required: boolean) {
  return z.custom<string>().superRefine((v, ctx) => {
    if (v === "" || v === undefined) return void (required && issue(ctx, m.CHOOSE_ONE));
    if (!field.options.some((o) => o.key === v)) issue(ctx, m.oneOf(field.options.map((o) => o.label)));
  });
}

function fileSchema(field: Extract<Field, { kind: "file" }>, required: boolean) {
  return z.custom<FileValue>().superRefine((v, ctx) => {
    if (!v?.id) return void (required && issue(ctx, m.CHOOSE_FILE));
    if (field.extensions.length && v.name && v.name !== v.id) {
      const ext = v.name.includes(".") ? v.name.slice(v.name.lastIndexOf(".") + 1).toLowerCase() : "";
      if (!field.extensions.includes(ext)) issue(ctx, m.fileType(field.extensions));
    }
  });
}

function jsonSchema(required: boolean) {
  return z.custom<string>().superRefine((v, ctx) => {
    const text = typeof v === "string" ? v.trim() : "";
    if (text === "") return void (required && issue(ctx, m.REQUIRED));
    try {
      JSON.parse(text);
    } catch {
      issue(ctx, m.NOT_JSON);
    }
  });
}

function countSchema(field: { minItems?: number; maxItems?: number }, rows: unknown[], ctx: Ctx) {
  if (field.minItems !== undefined && rows.length < field.minItems) issue(ctx, m.minItems(field.minItems));
  if (field.maxItems !== undefined && rows.length > field.maxItems) issue(ctx, m.maxItems(field.maxItems));
}

// A field's schema. `required` is the field's own (an optional struct's fields are
// required only once one of them is filled).
export function fieldSchema(field: Field, required = field.required): z.ZodType<FieldValue> {
  switch (field.kind) {
    case "quantity":
      return quantitySchema(field, required) as z.ZodType<FieldValue>;
    case "number":
      return numberSchema(field, required) as z.ZodType<FieldValue>;
    case "string":
      return stringSchema(field, required) as z.ZodType<FieldValue>;
    case "select":
      return selectSchema(field, required) as z.ZodType<FieldValue>;
    case "boolean":
      return z.boolean() as z.ZodType<FieldValue>;
    case "file":
      return fileSchema(field, required) as z.ZodType<FieldValue>;
    case "json":
      return jsonSchema(required) as z.ZodType<FieldValue>;
    case "struct": {
      const strict = z.object(Object.fromEntries(field.fields.map((f) => [f.name, fieldSchema(f)])));
      if (required) return strict as unknown as z.ZodType<FieldValue>;
      // Optional: all blank leaves it out; once one field is filled, the others are due.
      return z.custom<FieldValue>().superRefine((v, ctx) => {
        if (isBlank(field, v)) return;
        const result = strict.safeParse(v);
        if (!result.success) for (const i of result.error.issues) issue(ctx, i.message, i.path as (string | number)[]);
      });
    }
    case "list": {
      const row = z.object({ v: fieldSchema(field.item, true) });
      const strict = z.array(row).superRefine((rows, ctx) => countSchema(field, rows, ctx));
      if (required) return strict as unknown as z.ZodType<FieldValue>;
      // Optional: rows all blank (or none) leave it out; otherwise every row is checked.
      return z.custom<FieldValue>().superRefine((v, ctx) => {
        if (isBlank(field, v)) return;
        const result = strict.safeParse(v);
        if (!result.success) for (const i of result.error.issues) issue(ctx, i.message, i.path as (string | number)[]);
      });
    }
    case "dict": {
      const row = z.object({ key: z.string(), v: fieldSchema(field.item, true) });
      return z.array(row).superRefine((rows, ctx) => {
        const seen = new Set<string>();
        rows.forEach((r, i) => {
          if (r.key.trim() === "") issue(ctx, m.KEY_REQUIRED, [i, "key"]);
          else if (seen.has(r.key)) issue(ctx, m.KEY_DUPLICATE, [i, "key"]);
          seen.add(r.key);
        });
        if (rows.length === 0 && field.required) issue(ctx, m.minItems(1));
      }) as unknown as z.ZodType<FieldValue>;
    }
  }
}

export function buildZodSchema(model: FormModel) {
  return z.object(Object.fromEntries(model.fields.map((f) => [f.name, fieldSchema(f)])));
}
