// The calculation form generated from a function's inputs (see lib/schema-form).
export { RunForm, type RunFormProps, type SubmitOutcome } from "./run-form";
