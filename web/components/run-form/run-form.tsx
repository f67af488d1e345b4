// The generated calculation form: one control per input of the model, checked in the
// browser by the model's zod schema (react-hook-form + zodResolver) on submit and then as
// the fields change, errors inline under each field and the first one focused. On a valid
// submit it calls onSubmit with the execute body; when that answers with input problems
// (a 422's JSON pointers), each is shown under its field, those matching no field above
// the button.
"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import * as React from "react";
import { FormProvider, useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import type { InputProblem } from "@/lib/run-api";
import {
  buildZodSchema,
  defaultValues as modelDefaults,
  pointerToPath,
  toExecuteBody,
  type ExecuteBody,
  type FormModel,
  type FormValues,
} from "@/lib/schema-form";
import { FieldControl } from "./field-control";
import { UserFilesContext, useUserFiles } from "./use-user-files";

// What a submit gave: nothing (it went through), input problems, or a message.
export type SubmitOutcome = void | { problems?: InputProblem[]; message?: string };

export interface RunFormProps {
  model: FormModel;
  // The starting values (an earlier job's); the defaults when left out.
  initialValues?: FormValues;
  onSubmit(body: ExecuteBody): Promise<SubmitOutcome>;
  submitLabel?: string;
}

export function RunForm({ model, initialValues, onSubmit, submitLabel = "Run" }: RunFormProps) {
  const schema = React.useMemo(() => buildZodSchema(model), [model]);
  const defaults = React.useMemo(() => modelDefaults(model), [model]);
  const form = useForm<FormValues>({
    resolver: zodResolver(schema) as never,
    defaultValues: initialValues ?? defaults,
    mode: "onSubmit",
    reValidateMode: "onChange",
    shouldFocusError: false,
  });
  const formRef = React.useRef<HTMLFormElement>(null);
  // Focus the first control showing an error, in reading order, once it is rendered.
  const [focusRequest, setFocusRequest] = React.useState(0);
  const focusFirstError = React.useCallback(() => setFocusRequest((n) => n + 1), []);
  React.useEffect(() => {
    if (!focusRequest) return;
    // The fields render their errors from their own subscriptions: wait a few frames.
    let frame = 0;
    let tries = 0;
    const attempt = () => {
      const target = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      if (target) target.focus();
      else if (++tries < 10) frame = requestAnimationFrame(attempt);
    };
    frame = requestAnimationFrame(attempt);
    return () => cancelAnimationFrame(frame);
  }, [focusRequest]);
  const hasFiles = model.fields.some((f) => f.kind === "file");
  const userFiles = useUserFiles(hasFiles);
  const [formProblems, setFormProblems] = React.useState<string[]>([]);

  const submit = form.handleSubmit(async (values) => {
    setFormProblems([]);
    const outcome = await onSubmit(toExecuteBody(model, values));
    if (!outcome) return;
    const loose: string[] = [];
    let first = false;
    for (const problem of outcome.problems ?? []) {
      const path = pointerToPath(model, problem.pointer, values);
      if (path) {
        form.setError(path, { type: "server", message: problem.message });
        first = true;
      } else loose.push(problem.pointer ? `${problem.pointer}: ${problem.message}` : problem.message);
    }
    if (outcome.message) loose.unshift(outcome.message);
    setFormProblems(loose);
    if (first) focusFirstError();
  }, focusFirstError);

  const errorCount = Object.keys(form.formState.errors).length;
  return (
    <FormProvider {...form}>
      <UserFilesContext.Provider value={userFiles}>
        <form ref={formRef} onSubmit={submit} noValidate className="grid gap-6" aria-label="Inputs">
          {model.fields.length === 0 ? <p className="text-muted-foreground">This function takes no inputs.</p> : null}
          <div className="grid gap-5 sm:grid-cols-2">
            {model.fields.map((field) => (
              <div key={field.name} className={field.kind === "struct" || field.kind === "list" || field.kind === "dict" || field.kind === "json" ? "sm:col-span-2" : undefined}>
                <FieldControl field={field} path={field.name} />
              </div>
            ))}
          </div>
          {formProblems.length ? (
            <div role="alert" className="rounded-md border border-destructive p-3 text-sm text-destructive">
              <ul className="grid gap-1">
                {formProblems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" disabled={form.formState.isSubmitting}>
              {form.formState.isSubmitting ? "Starting…" : submitLabel}
            </Button>
            <Button type="button" variant="outline" onClick={() => { form.reset(defaults); setFormProblems([]); }}>
              Reset to defaults
            </Button>
            <p role="status" className="text-sm text-destructive">
              {form.formState.isSubmitted && errorCount ? "Some inputs need fixing: see the messages under them." : ""}
            </p>
          </div>
        </form>
      </UserFilesContext.Provider>
    </FormProvider>
  );
}
