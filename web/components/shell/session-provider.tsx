// The session as React state for the shell and the pages: useSession() gives who is
// signed in (lib/session.ts asks once per page load). A page that needs a session calls
// useRequiredSession(), which sends a signed-out visitor to sign-in and back.
"use client";

import * as React from "react";
import { browser, signInUrl } from "@/lib/api";
import { loadSession } from "@/lib/session";
import type { Me } from "@/lib/types";

export type SessionState =
  | { status: "loading" }
  | { status: "signed-in"; me: Me }
  | { status: "signed-out" }
  | { status: "error"; message: string };

const SessionContext = React.createContext<SessionState | null>(null);

export function SessionProvider({ enabled = true, children }: { enabled?: boolean; children: React.ReactNode }) {
  const [state, setState] = React.useState<SessionState>({ status: "loading" });
  React.useEffect(() => {
    if (!enabled) return;
    let live = true;
    loadSession().then(
      (me) => live && setState(me ? { status: "signed-in", me } : { status: "signed-out" }),
      (e: unknown) =>
        live &&
        setState({ status: "error", message: e instanceof Error && e.message ? e.message : "The server could not be reached." }),
    );
    return () => {
      live = false;
    };
  }, [enabled]);
  return <SessionContext.Provider value={state}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  return React.useContext(SessionContext) ?? { status: "loading" };
}

export function useRequiredSession(): SessionState {
  const state = useSession();
  React.useEffect(() => {
    if (state.status === "signed-out") browser.navigate(signInUrl(browser.here()));
  }, [state.status]);
  return state;
}
