// Home: who is signed in (GET /auth/me), their scopes and organisations, and signing out.
// Not signed in, the API client sends the browser to /sign-in and back here.
"use client";

import Link from "next/link";
import * as React from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { toast } from "@/components/ui/toast";
import { ApiError, browser } from "@/lib/api";
import { getMe, logout } from "@/lib/endpoints";
import type { Me } from "@/lib/types";

export default function HomePage() {
  const [me, setMe] = React.useState<Me | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [signingOut, setSigningOut] = React.useState(false);

  React.useEffect(() => {
    getMe().then(setMe, (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) return; // on the way to sign-in
      setError(e instanceof ApiError ? e.detail || e.title : "The server could not be reached.");
    });
  }, []);

  const signOut = async () => {
    setSigningOut(true);
    try {
      const answer = await logout();
      browser.navigate(answer.end_session_url ?? "/sign-in/");
    } catch (e) {
      setSigningOut(false);
      toast("Signing out failed", { kind: "error", description: e instanceof ApiError ? e.detail : undefined });
    }
  };

  if (error) {
    return (
      <p role="alert" className="text-destructive">
        {error}
      </p>
    );
  }
  if (!me) {
    return (
      <Card aria-busy="true">
        <CardHeader>
          <CardTitle>Welcome</CardTitle>
          <CardDescription>Loading your account…</CardDescription>
        </CardHeader>
        <CardContent className="h-16" />
      </Card>
    );
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>Welcome, {me.display_name || me.username}</CardTitle>
        <CardDescription>
          Signed in as <span className="font-mono">{me.id}</span>
          {me.source === "oidc" ? " through your identity provider" : " with a MecaPy account"}
          {me.is_admin ? " · administrator" : ""}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-2 text-sm">
        {me.email ? <p>Email: {me.email}</p> : null}
        {me.scopes?.length ? <p>Scopes: {me.scopes.join(", ")}</p> : null}
        {me.organisations?.length ? (
          <p>Organisations: {me.organisations.map((m) => `${m.organisation} (${m.role})`).join(", ")}</p>
        ) : null}
      </CardContent>
      <CardFooter className="gap-2">
        <Button asChild>
          <Link href="/packages/">Browse packages</Link>
        </Button>
        <Button variant="outline" onClick={signOut} disabled={signingOut}>
          {signingOut ? "Signing out…" : "Sign out"}
        </Button>
      </CardFooter>
    </Card>
  );
}
