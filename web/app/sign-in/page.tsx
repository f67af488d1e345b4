// /sign-in?next=/where: the methods the server offers (GET /auth/config) — the built-in
// account form, the identity provider's button, or both — then back to `next`.
"use client";

import { useSearchParams } from "next/navigation";
import * as React from "react";
import { LocalSignInForm } from "@/components/local-sign-in-form";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ApiError, browser } from "@/lib/api";
import { beginOidcLogin, getAuthConfig, localLogin } from "@/lib/endpoints";
import { safeReturnTo } from "@/lib/return-to";
import type { AuthConfig } from "@/lib/types";

function describe(error: unknown): string {
  return error instanceof ApiError ? error.detail || error.title : "The server could not be reached.";
}

function SignIn() {
  const next = safeReturnTo(useSearchParams().get("next"));
  const [config, setConfig] = React.useState<AuthConfig | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [redirecting, setRedirecting] = React.useState(false);

  React.useEffect(() => {
    getAuthConfig().then(setConfig, (e: unknown) => setError(describe(e)));
  }, []);

  const startOidc = async () => {
    setError(null);
    setRedirecting(true);
    try {
      const start = await beginOidcLogin(next);
      browser.navigate(start.authorization_url);
    } catch (e) {
      setRedirecting(false);
      setError(describe(e));
    }
  };

  const methods = config?.methods ?? [];
  return (
    <Card className="mx-auto max-w-sm">
      <CardHeader>
        <CardTitle>Sign in</CardTitle>
        <CardDescription>Sign in to run and publish calculations.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        {!config && !error ? <p className="text-sm text-muted-foreground">Loading the sign-in methods…</p> : null}
        {error ? (
          <p role="alert" className="text-sm text-destructive">
            {error}
          </p>
        ) : null}
        {methods.includes("oidc") ? (
          <Button variant="outline" onClick={startOidc} disabled={redirecting}>
            {redirecting ? "Opening the identity provider…" : "Sign in with your organisation"}
          </Button>
        ) : null}
        {methods.includes("oidc") && methods.includes("local") ? (
          <p className="text-center text-xs uppercase text-muted-foreground">or</p>
        ) : null}
        {methods.includes("local") ? (
          <LocalSignInForm signIn={localLogin} onSignedIn={() => browser.navigate(next)} />
        ) : null}
        {config && methods.length === 0 ? (
          <p className="text-sm text-muted-foreground">This server offers no way to sign in from a browser.</p>
        ) : null}
      </CardContent>
    </Card>
  );
}

export default function SignInPage() {
  return (
    <React.Suspense fallback={null}>
      <SignIn />
    </React.Suspense>
  );
}
