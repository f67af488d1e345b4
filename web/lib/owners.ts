// Who the signed-in user may publish as or act for: themself, then each organisation they
// belong to (from /auth/me). Package controls are for those who act for the owner.
import { ApiError, apiRequest, setCsrfToken } from "./api";
import type { Me } from "./types";

export interface OwnerChoice {
  value: string;
  label: string;
}

export function ownerChoices(me: Me | null): OwnerChoice[] {
  if (!me) return [];
  const self = { value: me.id, label: `${me.display_name || me.username} (you)` };
  const orgs = (me.organisations ?? []).map((m) => ({ value: m.organisation, label: `${m.display_name || m.organisation} (organisation)` }));
  return [self, ...orgs];
}

export function actsFor(me: Me | null, owner: string): boolean {
  if (!me) return false;
  return me.id === owner || me.username === owner || (me.organisations ?? []).some((m) => m.organisation === owner);
}

// /auth/me without the sign-in redirect: null when nobody is signed in (pages that also
// serve anonymous visitors, such as the public packages).
export async function meIfSignedIn(): Promise<Me | null> {
  try {
    const me = await apiRequest<Me>("/api/v1/auth/me", { redirectOn401: false });
    if (me.csrf_token) setCsrfToken(me.csrf_token);
    return me;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}
