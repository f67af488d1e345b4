#include "auth/accounts/session_store.hpp"

#include "auth/accounts/row_reader.hpp"
#include "auth/accounts/secrets.hpp"
#include "core/errors.hpp"

namespace mecapy::auth::accounts {
namespace {

constexpr auto kTouchPrecision = std::chrono::minutes(1);

constexpr const char* kSessionColumns =
    "id_hash, user_id, provider, csrf_token, refresh_token, id_token, access_expires_at, created_at, expires_at,"
    " idle_timeout_ms, last_seen_at, idle_expires_at";

struct StoredSession {
  SessionRecord record;
  std::chrono::milliseconds idle_timeout{0};
  std::string idle_expires_at;
};

StoredSession read_session(const db::Result& result, const db::Row& row) {
  const RowReader r(result, row);
  StoredSession s;
  s.record.id_hash = r.text("id_hash");
  s.record.user_id = r.text("user_id");
  s.record.provider = r.text("provider");
  s.record.csrf_token = r.text("csrf_token");
  s.record.tokens.refresh_token = r.text("refresh_token");
  s.record.tokens.id_token = r.text("id_token");
  s.record.tokens.access_expires_at = r.text("access_expires_at");
  s.record.created_at = r.text("created_at");
  s.record.expires_at = r.text("expires_at");
  s.record.last_seen_at = r.text("last_seen_at");
  s.idle_timeout = std::chrono::milliseconds(r.int64("idle_timeout_ms"));
  s.idle_expires_at = r.text("idle_expires_at");
  return s;
}

// The stored key of a presented id; '' for one that cannot be ours.
std::string key_of(std::string_view id) { return may_be_secret(id) ? secret_digest(id) : ""; }

}  // namespace

CreatedSession SessionStore::create(const NewSession& session, TimePoint now) {
  if ((session.provider != "local" && session.provider != "oidc") || session.ttl.count() <= 0 ||
      session.idle_timeout.count() <= 0)
    throw Error(ErrorKind::invalid_input, "invalid-session",
                "A session needs a provider (local or oidc) and a positive lifetime and idle timeout.");
  CreatedSession created;
  created.id = new_secret();
  created.csrf_token = new_secret();
  SessionRecord& r = created.record;
  r.id_hash = secret_digest(created.id);
  r.user_id = session.user_id;
  r.provider = session.provider;
  r.csrf_token = created.csrf_token;
  r.tokens = session.tokens;
  r.created_at = timestamp(now);
  r.expires_at = timestamp(now + session.ttl);
  r.last_seen_at = r.created_at;
  const auto idle_ms = std::chrono::duration_cast<std::chrono::milliseconds>(session.idle_timeout);
  db_.execute("INSERT INTO sessions (" + std::string(kSessionColumns) +
                  ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
              {r.id_hash, r.user_id, r.provider, r.csrf_token, r.tokens.refresh_token, r.tokens.id_token,
               r.tokens.access_expires_at, r.created_at, r.expires_at, std::int64_t{idle_ms.count()}, r.last_seen_at,
               timestamp(now + idle_ms)});
  return created;
}

std::optional<SessionRecord> SessionStore::find(std::string_view id, TimePoint now) {
  const std::string key = key_of(id);
  if (key.empty()) return std::nullopt;
  const auto r = db_.execute("SELECT " + std::string(kSessionColumns) + " FROM sessions WHERE id_hash = $1", {key});
  if (r.rows.empty()) return std::nullopt;
  StoredSession s = read_session(r, r.rows[0]);
  const std::string at = timestamp(now);
  if (s.record.expires_at <= at || s.idle_expires_at <= at) {
    db_.execute("DELETE FROM sessions WHERE id_hash = $1", {key});
    return std::nullopt;
  }
  const std::string stale = timestamp(now - kTouchPrecision);
  if (s.record.last_seen_at <= stale) {
    db_.execute("UPDATE sessions SET last_seen_at = $2, idle_expires_at = $3 WHERE id_hash = $1 AND last_seen_at <= $4",
                {key, at, timestamp(now + s.idle_timeout), stale});
    s.record.last_seen_at = at;
  }
  return s.record;
}

bool SessionStore::update_provider_tokens(std::string_view id, const ProviderTokens& tokens) {
  const std::string key = key_of(id);
  if (key.empty()) return false;
  const auto r =
      db_.execute("UPDATE sessions SET refresh_token = $2, id_token = $3, access_expires_at = $4 WHERE id_hash = $1",
                  {key, tokens.refresh_token, tokens.id_token, tokens.access_expires_at});
  return r.affected_rows > 0;
}

bool SessionStore::destroy(std::string_view id) {
  const std::string key = key_of(id);
  if (key.empty()) return false;
  return db_.execute("DELETE FROM sessions WHERE id_hash = $1", {key}).affected_rows > 0;
}

std::size_t SessionStore::destroy_all(std::string_view user) {
  return static_cast<std::size_t>(
      db_.execute("DELETE FROM sessions WHERE user_id = $1", {std::string(user)}).affected_rows);
}

std::size_t SessionStore::purge_expired(TimePoint now) {
  const std::string at = timestamp(now);
  return static_cast<std::size_t>(
      db_.execute("DELETE FROM sessions WHERE expires_at <= $1 OR idle_expires_at <= $1", {at}).affected_rows);
}

}  // namespace mecapy::auth::accounts
