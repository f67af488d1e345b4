// Settings › Password, for a built-in account signed in with its session: the current
// password and the new one twice (lib/password-form.ts), then POST /auth/password. The
// server ends every other session; this one stays signed in.
"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import * as React from "react";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { toast } from "@/components/ui/toast";
import { ApiError } from "@/lib/api";
import { passwordFormSchema, PASSWORD_MIN, type PasswordFormValues } from "@/lib/password-form";
import { changePassword } from "@/lib/settings-api";

const FIELDS: { name: keyof PasswordFormValues; label: string; autoComplete: string; hint?: string }[] = [
  { name: "current", label: "Current password", autoComplete: "current-password" },
  { name: "next", label: "New password", autoComplete: "new-password", hint: `At least ${PASSWORD_MIN} characters.` },
  { name: "again", label: "New password again", autoComplete: "new-password" },
];

export function PasswordSection() {
  const [serverError, setServerError] = React.useState<string | null>(null);
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<PasswordFormValues>({ resolver: zodResolver(passwordFormSchema), defaultValues: { current: "", next: "", again: "" } });

  const submit = handleSubmit(async (values) => {
    setServerError(null);
    try {
      await changePassword(values.current, values.next);
      reset();
      toast("Password changed", { kind: "success", description: "Your other sessions were signed out." });
    } catch (e) {
      setServerError(e instanceof ApiError ? e.detail || e.title : "The server could not be reached. Try again.");
    }
  });

  return (
    <form onSubmit={submit} noValidate className="grid max-w-sm gap-4" aria-label="Change your password">
      {FIELDS.map((field) => {
        const error = errors[field.name];
        const id = `password-${field.name}`;
        const described = [field.hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
        return (
          <div key={field.name} className="grid gap-2">
            <Label htmlFor={id}>{field.label}</Label>
            <Input
              id={id}
              type="password"
              autoComplete={field.autoComplete}
              aria-invalid={error ? true : undefined}
              aria-describedby={described || undefined}
              {...register(field.name)}
            />
            {field.hint ? (
              <p id={`${id}-hint`} className="text-xs text-muted-foreground">
                {field.hint}
              </p>
            ) : null}
            {error ? (
              <p id={`${id}-error`} className="text-sm text-destructive">
                {error.message}
              </p>
            ) : null}
          </div>
        );
      })}
      {serverError ? (
        <p role="alert" className="text-sm text-destructive">
          {serverError}
        </p>
      ) : null}
      <Button type="submit" disabled={isSubmitting} className="justify-self-start">
        {isSubmitting ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
