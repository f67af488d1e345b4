// Who is signed in, asked once per page load (GET /auth/me) and shared by the header's
// user menu and the pages.
//
// Contract:
//  - loadSession() answers the caller, or null when nobody is signed in (a 401, which is
//    expected and neither redirects nor throws); other failures reject with the error.
//  - When the API is this page's own origin, a browser without the session's readable
//    CSRF cookie has no session: nobody is signed in, and nothing is asked (so a
//    signed-out visit makes no request that fails). With the API elsewhere its cookies
//    cannot be read here, and the API is always asked.
//  - The answer is asked once and shared by every caller until resetSession().
//  - A session's CSRF token from /auth/me is handed to the API client.
import { ApiError, apiBaseUrl, apiRequest, currentCsrfToken, setCsrfToken } from "./api";
import type { Me } from "./types";

let pending: Promise<Me | null> | undefined;

async function ask(): Promise<Me | null> {
  if (apiBaseUrl() === "" && currentCsrfToken() === undefined) return null;
  try {
    const me = await apiRequest<Me>("/api/v1/auth/me", { redirectOn401: false });
    if (me.csrf_token) setCsrfToken(me.csrf_token);
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function loadSession(): Promise<Me | null> {
  pending ??= ask();
  pending.catch(() => {
    pending = undefined; // a failure is not remembered: the next caller asks again
  });
  return pending;
}

export function resetSession(): void {
  pending = undefined;
}
