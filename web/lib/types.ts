// The API's answers the UI reads, as src/api/openapi.json describes them (only the fields
// the pages use are required here; the API may send more).

export type SignInMethod = "local" | "oidc";

export interface AuthConfig {
  methods: SignInMethod[];
  local?: Record<string, unknown>;
  oidc?: Record<string, unknown>;
  csrf_header?: string;
  api_tokens?: boolean;
}

export interface User {
  id: string;
  username: string;
  display_name?: string;
  email?: string | null;
  given_name?: string | null;
  family_name?: string | null;
  is_admin: boolean;
  roles: string[];
  source: "local" | "oidc";
}

export interface Membership {
  organisation: string;
  user: string;
  role: "user" | "admin";
  display_name?: string;
}

export interface SignedIn {
  user: User;
  csrf_token: string;
  expires_at: string;
  return_to?: string;
}

export interface Me extends User {
  scopes?: string[];
  credential?: "session" | "api_token" | "provider_token";
  kind?: "user" | "service";
  organisations?: Membership[];
  csrf_token?: string;
  session_expires_at?: string;
}

export interface LoginStart {
  authorization_url: string;
  state: string;
}

export interface SignedOut {
  signed_out?: boolean;
  end_session_url?: string | null;
}

export type Visibility = "private" | "internal" | "public";

export interface Package {
  id: string;
  owner: string;
  owner_kind: "user" | "organisation";
  name: string;
  full_name?: string;
  description?: string;
  visibility: Visibility;
  tags?: string[];
  archived?: boolean;
  latest_version: string;
  created_at?: string;
  updated_at?: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  per_page: number;
  total: number;
}
