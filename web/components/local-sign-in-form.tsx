// The built-in account form: validated in the browser (lib/sign-in-schema.ts), then posted to
// /auth/local/login. The server's refusal (wrong credentials, a locked account) is shown
// above the button; onSignedIn is called once the session is open.
"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import * as React from "react";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { ApiError } from "@/lib/api";
import { signInSchema, type SignInValues } from "@/lib/sign-in-schema";
import type { SignedIn } from "@/lib/types";

export interface LocalSignInFormProps {
  signIn: (username: string, password: string) => Promise<SignedIn>;
  onSignedIn: (signedIn: SignedIn) => void;
}

export function LocalSignInForm({ signIn, onSignedIn }: LocalSignInFormProps) {
  const [serverError, setServerError] = React.useState<string | null>(null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<SignInValues>({ resolver: zodResolver(signInSchema), defaultValues: { username: "", password: "" } });

  const submit = handleSubmit(async (values) => {
    setServerError(null);
    try {
      onSignedIn(await signIn(values.username, values.password));
    } catch (error) {
      setServerError(error instanceof ApiError ? error.detail || error.title : "The server could not be reached. Try again.");
    }
  });

  return (
    <form onSubmit={submit} noValidate className="grid gap-4" aria-label="Sign in with a MecaPy account">
      <div className="grid gap-2">
        <Label htmlFor="username">Username</Label>
        <Input
          id="username"
          autoComplete="username"
          aria-invalid={errors.username ? true : undefined}
          aria-describedby={errors.username ? "username-error" : undefined}
          {...register("username")}
        />
        {errors.username ? (
          <p id="username-error" className="text-sm text-destructive">
            {errors.username.message}
          </p>
        ) : null}
      </div>
      <div className="grid gap-2">
        <Label htmlFor="password">Password</Label>
        <Input
          id="password"
          type="password"
          autoComplete="current-password"
          aria-invalid={errors.password ? true : undefined}
          aria-describedby={errors.password ? "password-error" : undefined}
          {...register("password")}
        />
        {errors.password ? (
          <p id="password-error" className="text-sm text-destructive">
            {errors.password.message}
          </p>
        ) : null}
      </div>
      {serverError ? (
        <p role="alert" className="text-sm text-destructive">
          {serverError}
        </p>
      ) : null}
      <Button type="submit" disabled={isSubmitting}>
        {isSubmitting ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
