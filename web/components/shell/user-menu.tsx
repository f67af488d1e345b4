// The header's account menu: who is signed in (name and handle), a link to the settings,
// and signing out (POST /auth/logout, then the provider's end-session page or sign-in).
// Signed out, a "Sign in" link; while the session loads, a placeholder of the same size.
"use client";

import Link from "next/link";
import * as React from "react";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { toast } from "@/components/ui/toast";
import { ApiError, browser, signInUrl } from "@/lib/api";
import { logout } from "@/lib/endpoints";
import { resetSession } from "@/lib/session";
import { useSession } from "./session-provider";

export async function signOut(): Promise<void> {
  try {
    const answer = await logout();
    resetSession();
    browser.navigate(answer?.end_session_url ?? "/sign-in/");
  } catch (e) {
    toast("Signing out failed", { kind: "error", description: e instanceof ApiError ? e.detail || e.title : undefined });
  }
}

export function UserMenu() {
  const session = useSession();
  if (session.status === "loading") return <span aria-hidden className="inline-block h-9 w-24 rounded-md bg-muted" />;
  if (session.status !== "signed-in") {
    return (
      <Button asChild variant="outline" size="sm">
        <Link href={signInUrl(typeof window === "undefined" ? "/" : browser.here())}>Sign in</Link>
      </Button>
    );
  }
  const { me } = session;
  const name = me.display_name || me.username;
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="sm" className="max-w-44" aria-label={`Account: ${name}`}>
          <span className="truncate">{name}</span>
          <span aria-hidden>▾</span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="min-w-48">
        <DropdownMenuLabel className="grid gap-0.5">
          <span>{name}</span>
          <span className="font-mono text-xs font-normal text-muted-foreground">@{me.id}</span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/settings/">Settings</Link>
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => void signOut()}>Sign out</DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
