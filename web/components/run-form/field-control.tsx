// The control of one field of the model, by kind; composites recurse through it.
"use client";

import type { Field } from "@/lib/schema-form";
import { DictRows, ListRows, StructFieldset } from "./composite-fields";
import { FileInput } from "./file-input";
import { QuantityInput } from "./quantity-input";
import { BooleanInput, JsonInput, NumberInput, SelectInput, StringInput } from "./simple-inputs";

export interface FieldControlProps {
  field: Field;
  // The field's form path ("flange.t", "loads.2.v").
  path: string;
  // A label replacing the field's own (list rows: "loads[2]", "x").
  label?: string;
  hideLabel?: boolean;
}

export function FieldControl({ field, path, label, hideLabel }: FieldControlProps) {
  switch (field.kind) {
    case "quantity":
      return <QuantityInput field={field} path={path} label={label} hideLabel={hideLabel} />;
    case "number":
      return <NumberInput field={field} path={path} label={label} hideLabel={hideLabel} />;
    case "string":
      return <StringInput field={field} path={path} label={label} hideLabel={hideLabel} />;
    case "select":
      return <SelectInput field={field} path={path} label={label} hideLabel={hideLabel} />;
    case "boolean":
      return <BooleanInput field={field} path={path} label={label} hideLabel={hideLabel} />;
    case "file":
      return <FileInput field={field} path={path} label={label} hideLabel={hideLabel} />;
    case "json":
      return <JsonInput field={field} path={path} label={label} hideLabel={hideLabel} />;
    case "struct":
      return <StructFieldset field={field} path={path} label={label} />;
    case "list":
      return <ListRows field={field} path={path} label={label} />;
    case "dict":
      return <DictRows field={field} path={path} label={label} />;
  }
}
