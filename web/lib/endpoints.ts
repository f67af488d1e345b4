// The API routes the pages call, one typed function each (paths as in openapi.json).
// Sign-in calls keep a 401 as an error to show, instead of redirecting to sign-in.
import { apiRequest, setCsrfToken } from "./api";
import type { AuthConfig, LoginStart, Me, Package, Page, SignedIn, SignedOut } from "./types";

const V1 = "/api/v1";

export function getAuthConfig(): Promise<AuthConfig> {
  return apiRequest<AuthConfig>(`${V1}/auth/config`, { redirectOn401: false });
}

export async function localLogin(username: string, password: string): Promise<SignedIn> {
  const signedIn = await apiRequest<SignedIn>(`${V1}/auth/local/login`, {
    method: "POST",
    body: { username, password },
    redirectOn401: false,
  });
  setCsrfToken(signedIn.csrf_token);
  return signedIn;
}

export function beginOidcLogin(returnTo: string): Promise<LoginStart> {
  return apiRequest<LoginStart>(`${V1}/auth/login`, {
    method: "POST",
    body: { return_to: returnTo },
    redirectOn401: false,
  });
}

export async function completeOidcLogin(code: string, state: string): Promise<SignedIn> {
  const signedIn = await apiRequest<SignedIn>(`${V1}/auth/callback`, {
    method: "POST",
    body: { code, state },
    redirectOn401: false,
  });
  setCsrfToken(signedIn.csrf_token);
  return signedIn;
}

export async function getMe(): Promise<Me> {
  const me = await apiRequest<Me>(`${V1}/auth/me`);
  if (me.csrf_token) setCsrfToken(me.csrf_token);
  return me;
}

export async function logout(): Promise<SignedOut> {
  const answer = await apiRequest<SignedOut>(`${V1}/auth/logout`, { method: "POST", redirectOn401: false });
  setCsrfToken(undefined);
  return answer;
}

export function listPackages(query: { page?: number; per_page?: number; search?: string }): Promise<Page<Package>> {
  return apiRequest<Page<Package>>(`${V1}/packages`, { query });
}
