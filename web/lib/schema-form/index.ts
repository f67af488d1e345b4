// JSON Schema + io spec + type catalogue → a form model, its zod schema, and the execute
// body of its values. Pure: the components in components/run-form render the model.
export * from "./types";
export { buildFormModel, unitsFor } from "./model";
export { buildZodSchema, fieldSchema } from "./zod";
export { defaultValues, emptyValue, initialValue, valuesFromInputs, toExecuteBody, toJson, isBlank, listRows } from "./values";
export type { ExecuteBody } from "./values";
export { pointerToPath } from "./pointer";
export { convert, convertible, declaredUnits, displayUnit, normalizeUnit, registerCatalogUnits, registerUnit, unitDef } from "./units";
export { parseNumber, formatNumber } from "./numbers";
