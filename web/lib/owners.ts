// Who the signed-in user may publish as or act for: themself, then each organisation they
// belong to (from /auth/me). Package controls are for those who act for the owner.
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
