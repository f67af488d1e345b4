// The settings page's API calls: API tokens (/auth/tokens), organisations and their
// members (/organisations), and the built-in account's password (/auth/password), with
// the answers' types as openapi.json describes them.
import { apiRequest, setCsrfToken } from "./api";
import type { Membership } from "./types";

const V1 = "/api/v1";

export const TOKEN_SCOPES = ["read", "run", "deploy", "admin"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  scopes: TokenScope[];
  created_at: string;
  expires_at?: string | null;
  last_used_at?: string | null;
  revoked_at?: string | null;
}

export interface CreatedToken extends ApiToken {
  /** The secret, answered this once. */
  token: string;
}

export interface NewToken {
  name: string;
  scopes: TokenScope[];
  expires_in_days: number | null;
}

export interface Listing<T> {
  items: T[];
  total: number;
}

export function listTokens(signal?: AbortSignal): Promise<Listing<ApiToken>> {
  return apiRequest<Listing<ApiToken>>(`${V1}/auth/tokens`, { signal });
}

export function createToken(body: NewToken): Promise<CreatedToken> {
  return apiRequest<CreatedToken>(`${V1}/auth/tokens`, { method: "POST", body });
}

export function revokeToken(id: string): Promise<ApiToken> {
  return apiRequest<ApiToken>(`${V1}/auth/tokens/${encodeURIComponent(id)}`, { method: "DELETE" });
}

export type OrgRole = "user" | "admin";

export interface Organisation {
  id: string;
  display_name: string;
  created_by?: string;
  created_at?: string;
  your_role?: OrgRole;
}

export function listMyOrganisations(signal?: AbortSignal): Promise<Listing<Membership>> {
  return apiRequest<Listing<Membership>>(`${V1}/organisations`, { signal });
}

export function createOrganisation(body: { id: string; display_name?: string }): Promise<Organisation> {
  return apiRequest<Organisation>(`${V1}/organisations`, { method: "POST", body });
}

export function listMembers(organisation: string, signal?: AbortSignal): Promise<Listing<Membership>> {
  return apiRequest<Listing<Membership>>(`${V1}/organisations/${encodeURIComponent(organisation)}/members`, {
    query: { per_page: 100 },
    signal,
  });
}

export function putMember(organisation: string, user: string, role: OrgRole): Promise<Membership> {
  return apiRequest<Membership>(
    `${V1}/organisations/${encodeURIComponent(organisation)}/members/${encodeURIComponent(user)}`,
    { method: "PUT", body: { role } },
  );
}

export function removeMember(organisation: string, user: string): Promise<void> {
  return apiRequest<void>(
    `${V1}/organisations/${encodeURIComponent(organisation)}/members/${encodeURIComponent(user)}`,
    { method: "DELETE" },
  );
}

/** Changes the password; the server ends every other session and answers this one's new CSRF token. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  const answer = await apiRequest<{ password_changed?: boolean; csrf_token?: string }>(`${V1}/auth/password`, {
    method: "POST",
    body: { current_password: currentPassword, new_password: newPassword },
  });
  if (answer?.csrf_token) setCsrfToken(answer.csrf_token);
}
