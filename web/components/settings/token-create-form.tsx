// The "new API token" form: a name, the scopes (only those the signed-in user holds are
// offered), an optional expiry in days. Validated in the browser (lib/token-form.ts),
// then create() is called with POST /auth/tokens's body; the server's refusal is shown
// above the buttons, and onCreated gets the token (with its secret) on success.
"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import * as React from "react";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { ApiError } from "@/lib/api";
import type { CreatedToken, NewToken, TokenScope } from "@/lib/settings-api";
import { EXPIRY_MAX_DAYS, tokenFormSchema, tokenRequest, type TokenFormValues } from "@/lib/token-form";

const SCOPE_HINTS: Record<TokenScope, string> = {
  read: "read your files, jobs and the packages you can see",
  run: "run calculations, upload and delete files",
  deploy: "publish packages, manage organisations",
  admin: "administer users and read the audit log",
};

export interface TokenCreateFormProps {
  allowedScopes: TokenScope[];
  create: (body: NewToken) => Promise<CreatedToken>;
  onCreated: (token: CreatedToken) => void;
  onCancel?: () => void;
}

export function TokenCreateForm({ allowedScopes, create, onCreated, onCancel }: TokenCreateFormProps) {
  const [serverError, setServerError] = React.useState<string | null>(null);
  const schema = React.useMemo(() => tokenFormSchema(allowedScopes), [allowedScopes]);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<TokenFormValues>({
    resolver: zodResolver(schema),
    defaultValues: { name: "", scopes: allowedScopes.includes("read") ? ["read"] : [], expiresInDays: "90" },
  });

  const submit = handleSubmit(async (values) => {
    setServerError(null);
    try {
      onCreated(await create(tokenRequest(values)));
    } catch (error) {
      setServerError(error instanceof ApiError ? error.detail || error.title : "The server could not be reached. Try again.");
    }
  });

  return (
    <form onSubmit={submit} noValidate className="grid gap-4" aria-label="New API token">
      <div className="grid gap-2">
        <Label htmlFor="token-name">Name</Label>
        <Input
          id="token-name"
          autoComplete="off"
          placeholder="e.g. CI pipeline"
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={errors.name ? "token-name-error" : undefined}
          {...register("name")}
        />
        {errors.name ? (
          <p id="token-name-error" className="text-sm text-destructive">
            {errors.name.message}
          </p>
        ) : null}
      </div>
      <fieldset className="grid gap-2" aria-describedby={errors.scopes ? "token-scopes-error" : undefined}>
        <legend className="mb-2 text-sm font-medium">Scopes</legend>
        {allowedScopes.map((scope) => (
          <label key={scope} className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              value={scope}
              className="mt-0.5 h-4 w-4 accent-primary focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
              {...register("scopes")}
            />
            <span>
              <span className="font-mono font-medium">{scope}</span>{" "}
              <span className="text-muted-foreground">— {SCOPE_HINTS[scope]}</span>
            </span>
          </label>
        ))}
        {errors.scopes ? (
          <p id="token-scopes-error" className="text-sm text-destructive">
            {errors.scopes.message ?? errors.scopes.root?.message}
          </p>
        ) : null}
      </fieldset>
      <div className="grid gap-2">
        <Label htmlFor="token-expiry">Expires after (days)</Label>
        <Input
          id="token-expiry"
          inputMode="numeric"
          placeholder="never"
          className="w-40"
          aria-invalid={errors.expiresInDays ? true : undefined}
          aria-describedby={errors.expiresInDays ? "token-expiry-error token-expiry-hint" : "token-expiry-hint"}
          {...register("expiresInDays")}
        />
        <p id="token-expiry-hint" className="text-xs text-muted-foreground">
          1 to {EXPIRY_MAX_DAYS} days; leave empty for a token that never expires.
        </p>
        {errors.expiresInDays ? (
          <p id="token-expiry-error" className="text-sm text-destructive">
            {errors.expiresInDays.message}
          </p>
        ) : null}
      </div>
      {serverError ? (
        <p role="alert" className="text-sm text-destructive">
          {serverError}
        </p>
      ) : null}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        {onCancel ? (
          <Button type="button" variant="outline" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Creating…" : "Create token"}
        </Button>
      </div>
    </form>
  );
}
