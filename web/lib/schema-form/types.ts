// The inputs a form is generated from, as the API gives them, and the form model the
// generator produces: a tree of fields, one per input, whose leaves are the controls.

// A JSON Schema (draft 7) fragment, with MecaPy's x- annotations.
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema | JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  title?: string;
  "x-quantity"?: string;
  "x-unit"?: string;
  "x-type"?: string;
  "x-file"?: boolean;
  "x-file-extensions"?: string[];
}

// One port of the io spec (FunctionVersion.inputs[]).
export interface IoPort {
  name: string;
  type?: { kind?: string; spelling?: string; quantity?: string; unit?: string; extensions?: string[] };
  description?: string;
  required?: boolean;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
}

// The part of GET /types/catalog the generator reads.
export interface TypeCatalog {
  quantities?: {
    name: string;
    dimension?: string;
    si_unit?: string;
    suggested_units?: string[];
    // Each suggested unit's map to si_unit, by the server's UDUNITS-2: si = value * factor + offset.
    conversions?: Record<string, { factor: number; offset?: number }>;
  }[];
}

export interface NumberBounds {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
}

interface FieldBase {
  // The input's (or struct field's) name; list items are named after their list.
  name: string;
  label: string;
  description?: string;
  required: boolean;
  default?: unknown;
}

export interface QuantityField extends FieldBase, NumberBounds {
  kind: "quantity";
  quantity: string;
  // The declared unit: bounds, defaults and plain numbers are in it.
  unit: string;
  // The units the selector offers, the declared one first.
  units: string[];
}

export interface NumberField extends FieldBase, NumberBounds {
  kind: "number";
  integer: boolean;
}

export interface StringField extends FieldBase {
  kind: "string";
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

export interface SelectOption {
  // The option's JSON text, which is also its value in the form ("8.8", "\"fast\"").
  key: string;
  label: string;
  value: unknown;
}

export interface SelectField extends FieldBase {
  kind: "select";
  options: SelectOption[];
}

export interface BooleanField extends FieldBase {
  kind: "boolean";
}

export interface FileField extends FieldBase {
  kind: "file";
  extensions: string[];
}

export interface StructField extends FieldBase {
  kind: "struct";
  fields: Field[];
}

export interface ListField extends FieldBase {
  kind: "list";
  item: Field;
  minItems?: number;
  maxItems?: number;
}

export interface DictField extends FieldBase {
  kind: "dict";
  item: Field;
}

// Anything the generator has no control for (anyOf, tuples…): raw JSON, parsed on submit.
export interface JsonField extends FieldBase {
  kind: "json";
}

export type Field =
  | QuantityField
  | NumberField
  | StringField
  | SelectField
  | BooleanField
  | FileField
  | StructField
  | ListField
  | DictField
  | JsonField;

export interface FormModel {
  fields: Field[];
}

// The values the form holds (what react-hook-form keeps), per field kind:
//   quantity → {value: string, unit: string}   number, string, select, json → string
//   boolean → boolean   file → {id: string, name: string}   struct → {[field]: value}
//   list → {v: item value}[]   dict → {key: string, v: item value}[]
// Numbers stay text until submit, so a half-typed "1e" is never lost or turned into NaN.
export interface QuantityValue {
  value: string;
  unit: string;
}
export interface FileValue {
  id: string;
  name: string;
}
export type FieldValue =
  | string
  | boolean
  | QuantityValue
  | FileValue
  | { [name: string]: FieldValue }
  | { v: FieldValue }[]
  | { key: string; v: FieldValue }[];
export type FormValues = Record<string, FieldValue>;
