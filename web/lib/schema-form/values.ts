// Form values: the empty and default values of each field, the values of an earlier
// job's inputs (to run it again), and the execute body built from the values.
//
// toExecuteBody(model, values) promises: blank optional inputs are left out (the server
// applies the defaults); a quantity in its declared unit is a plain number, in any other
// unit {value, unit}; top-level File inputs go to `files` as {input: file_id}; a struct
// whose fields are all blank is left out; an optional list or dict without rows is left
// out, and so is an optional list whose rows are all blank (a Vector3 left empty). It expects values the zod schema accepted (a blank required leaf becomes null).
import { convert, normalizeUnit } from "./units";
import { parseNumber } from "./numbers";
import type { Field, FieldValue, FileValue, FormModel, FormValues, QuantityValue } from "./types";

type Row = { v: FieldValue };
type DictRow = { key: string; v: FieldValue };

export function listRows(field: { minItems?: number; maxItems?: number; required: boolean }): number {
  if (field.minItems !== undefined && field.minItems === field.maxItems) return field.minItems;
  return Math.max(field.minItems ?? 0, field.required ? 1 : 0);
}

// The value of a field with nothing typed in it (its default not applied).
export function emptyValue(field: Field): FieldValue {
  switch (field.kind) {
    case "quantity":
      return { value: "", unit: field.unit };
    case "boolean":
      return false;
    case "file":
      return { id: "", name: "" };
    case "struct":
      return Object.fromEntries(field.fields.map((f) => [f.name, initialValue(f)]));
    case "list":
      return Array.from({ length: listRows(field) }, () => ({ v: initialValue(field.item) }));
    case "dict":
      return [];
    default:
      return "";
  }
}

// The value a field starts with: its default when it has one, else empty.
export function initialValue(field: Field): FieldValue {
  return field.default === undefined ? emptyValue(field) : fromJson(field, field.default);
}

function numberText(value: unknown): string {
  return typeof value === "number" && Number.isFinite(value) ? String(value) : "";
}

// A JSON value of the API (a default, a job's input) as the field's form value.
export function fromJson(field: Field, value: unknown, fileNames?: Record<string, string>): FieldValue {
  if (value === undefined || value === null) return emptyValue(field);
  switch (field.kind) {
    case "quantity": {
      if (typeof value === "object" && value && "value" in value && "unit" in value) {
        const q = value as { value: unknown; unit: unknown };
        const unit = String(q.unit);
        const offered = field.units.find((u) => normalizeUnit(u) === normalizeUnit(unit));
        if (offered) return { value: numberText(q.value), unit: offered };
        const inDeclared = typeof q.value === "number" ? convert(q.value, unit, field.unit) : undefined;
        return inDeclared === undefined ? { value: numberText(q.value), unit } : { value: String(inDeclared), unit: field.unit };
      }
      return { value: numberText(value), unit: field.unit };
    }
    case "number":
      return numberText(value);
    case "string":
      return typeof value === "string" ? value : String(value);
    case "select": {
      const key = JSON.stringify(value);
      const option = field.options.find((o) => o.key === key || (typeof o.value === "number" && o.value === value));
      return option ? option.key : "";
    }
    case "boolean":
      return value === true;
    case "file":
      return typeof value === "string" ? { id: value, name: fileNames?.[value] ?? value } : emptyValue(field);
    case "struct": {
      const obj = typeof value === "object" ? (value as Record<string, unknown>) : {};
      return Object.fromEntries(
        field.fields.map((f) => [f.name, f.name in obj ? fromJson(f, obj[f.name], fileNames) : initialValue(f)]),
      );
    }
    case "list":
      return Array.isArray(value) ? value.map((x) => ({ v: fromJson(field.item, x, fileNames) })) : emptyValue(field);
    case "dict":
      return typeof value === "object" && !Array.isArray(value)
        ? Object.entries(value as Record<string, unknown>).map(([key, x]) => ({ key, v: fromJson(field.item, x, fileNames) }))
        : [];
    case "json":
      return JSON.stringify(value);
  }
}

// The form's starting values: every default applied.
export function defaultValues(model: FormModel): FormValues {
  return Object.fromEntries(model.fields.map((f) => [f.name, initialValue(f)]));
}

// The form's values for an earlier job's inputs (GET /jobs/{id} `inputs`, in declared
// units), the defaults kept for inputs the job does not name. `fileNames` maps file ids
// to names for the file pickers.
export function valuesFromInputs(
  model: FormModel,
  inputs: Record<string, unknown>,
  fileNames?: Record<string, string>,
): FormValues {
  return Object.fromEntries(
    model.fields.map((f) => [f.name, f.name in inputs ? fromJson(f, inputs[f.name], fileNames) : initialValue(f)]),
  );
}

// Whether a value has nothing typed in it (booleans never count as typed; a list is blank
// when all its rows are, a dict when it has no rows).
export function isBlank(field: Field, value: FieldValue | undefined): boolean {
  if (value === undefined) return true;
  switch (field.kind) {
    case "quantity":
      return (value as QuantityValue).value.trim() === "";
    case "boolean":
      return true;
    case "file":
      return !(value as FileValue).id;
    case "struct": {
      const obj = value as Record<string, FieldValue>;
      return field.fields.every((f) => isBlank(f, obj[f.name]));
    }
    case "list":
      return (value as Row[]).every((r) => isBlank(field.item, r.v));
    case "dict":
      return (value as DictRow[]).length === 0;
    default:
      return String(value).trim() === "";
  }
}

// The field's value as the API takes it; undefined when blank.
export function toJson(field: Field, value: FieldValue | undefined): unknown {
  if (value === undefined) return undefined;
  switch (field.kind) {
    case "quantity": {
      const q = value as QuantityValue;
      const n = parseNumber(q.value);
      if (n === undefined) return undefined;
      return normalizeUnit(q.unit) === normalizeUnit(field.unit) ? n : { value: n, unit: q.unit };
    }
    case "number":
      return parseNumber(value as string);
    case "string":
      return (value as string) === "" ? undefined : value;
    case "select":
      return field.options.find((o) => o.key === value)?.value;
    case "boolean":
      return value === true;
    case "file":
      return (value as FileValue).id || undefined;
    case "struct": {
      if (isBlank(field, value)) return undefined;
      const obj = value as Record<string, FieldValue>;
      const out: Record<string, unknown> = {};
      for (const f of field.fields) {
        const v = toJson(f, obj[f.name]);
        if (v !== undefined) out[f.name] = v;
      }
      return out;
    }
    case "list": {
      const rows = value as Row[];
      if (!field.required && isBlank(field, rows)) return undefined;
      return rows.map((r) => toJson(field.item, r.v) ?? null);
    }
    case "dict": {
      const rows = value as DictRow[];
      if (rows.length === 0 && !field.required) return undefined;
      return Object.fromEntries(rows.map((r) => [r.key, toJson(field.item, r.v) ?? null]));
    }
    case "json": {
      const text = (value as string).trim();
      return text === "" ? undefined : JSON.parse(text);
    }
  }
}

export interface ExecuteBody {
  inputs: Record<string, unknown>;
  files: Record<string, string>;
}

export function toExecuteBody(model: FormModel, values: FormValues): ExecuteBody {
  const inputs: Record<string, unknown> = {};
  const files: Record<string, string> = {};
  for (const field of model.fields) {
    const value = values[field.name];
    if (field.kind === "file") {
      const id = (value as FileValue | undefined)?.id;
      if (id) files[field.name] = id;
      continue;
    }
    const json = toJson(field, value);
    if (json !== undefined) inputs[field.name] = json;
  }
  return { inputs, files };
}
