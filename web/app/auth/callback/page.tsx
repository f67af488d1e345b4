// /auth/callback?code=...&state=...: where the identity provider sends the browser back.
// Posts code and state to the API, which completes the PKCE exchange and opens the
// session, then goes to the return_to the sign-in started with.
"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import * as React from "react";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ApiError, browser } from "@/lib/api";
import { completeOidcLogin } from "@/lib/endpoints";
import { safeReturnTo } from "@/lib/return-to";

function Callback() {
  const params = useSearchParams();
  const [error, setError] = React.useState<string | null>(null);
  const started = React.useRef(false);

  React.useEffect(() => {
    // The code is single-use: Strict Mode's second effect run must not post it again.
    if (started.current) return;
    started.current = true;
    const providerError = params.get("error");
    const code = params.get("code");
    const state = params.get("state");
    if (providerError) {
      setError(params.get("error_description") ?? `The identity provider refused the sign-in (${providerError}).`);
      return;
    }
    if (!code || !state) {
      setError("This page expects the code and state the identity provider sends back.");
      return;
    }
    completeOidcLogin(code, state).then(
      (signedIn) => browser.navigate(safeReturnTo(signedIn.return_to)),
      (e: unknown) => setError(e instanceof ApiError ? e.detail || e.title : "The server could not be reached."),
    );
  }, [params]);

  return (
    <Card className="mx-auto max-w-sm">
      <CardHeader>
        <CardTitle>{error ? "Sign-in failed" : "Signing in…"}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        {error ? (
          <>
            <p role="alert" className="text-sm text-destructive">
              {error}
            </p>
            <Link href="/sign-in/" className="text-sm underline">
              Try again
            </Link>
          </>
        ) : (
          <p className="text-sm text-muted-foreground">Completing the sign-in with your identity provider.</p>
        )}
      </CardContent>
    </Card>
  );
}

export default function CallbackPage() {
  return (
    <React.Suspense fallback={null}>
      <Callback />
    </React.Suspense>
  );
}
