-- Identity: handles (one namespace for users and organisations), users, organisations
-- and their members, API tokens, browser sessions, OIDC login states (the audit log:
-- 0011).
-- Secrets (API tokens, session ids, login states) are stored as SHA-256 hex only.
-- An absent value is NULL where a unique constraint must ignore it (the OIDC identity)
-- or a condition tests for it (password hash, token expiry, last use, revocation);
-- elsewhere it is ''.
CREATE TABLE handles (
  handle TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE users (
  id TEXT PRIMARY KEY REFERENCES handles (handle),
  display_name TEXT NOT NULL,
  email TEXT NOT NULL,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  is_admin BIGINT NOT NULL,
  roles TEXT NOT NULL,
  source TEXT NOT NULL,
  oidc_issuer TEXT,
  oidc_subject TEXT,
  password_hash TEXT,
  failed_logins BIGINT NOT NULL,
  locked_until TEXT NOT NULL,
  disabled BIGINT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_login_at TEXT NOT NULL,
  UNIQUE (oidc_issuer, oidc_subject)
);
CREATE INDEX users_admin ON users (is_admin);

CREATE TABLE organizations (
  id TEXT PRIMARY KEY REFERENCES handles (handle),
  display_name TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL
);

CREATE TABLE organization_members (
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  user_id TEXT NOT NULL REFERENCES users (id),
  role TEXT NOT NULL,
  added_at TEXT NOT NULL,
  PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX organization_members_user ON organization_members (user_id);

CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  name TEXT NOT NULL,
  scopes TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);

CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  provider TEXT NOT NULL,
  csrf_token TEXT NOT NULL,
  refresh_token TEXT NOT NULL,
  id_token TEXT NOT NULL,
  access_expires_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  idle_timeout_ms BIGINT NOT NULL,
  last_seen_at TEXT NOT NULL,
  idle_expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE INDEX sessions_idle ON sessions (idle_expires_at);

CREATE TABLE login_states (
  state_hash TEXT PRIMARY KEY,
  code_verifier TEXT NOT NULL,
  nonce TEXT NOT NULL,
  return_to TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX login_states_expiry ON login_states (expires_at);
