// The error message react-hook-form holds for a path: a field's own, or a list's (its
// `root`, where the resolver puts problems of a field array as a whole).
"use client";

import { get, useFormState } from "react-hook-form";

export function useFieldError(path: string): string | undefined {
  const { errors } = useFormState({ name: path });
  const error = get(errors, path) as { message?: unknown; root?: { message?: unknown } } | undefined;
  const message = error?.message ?? error?.root?.message;
  return typeof message === "string" && message ? message : undefined;
}
