#include "auth/accounts/api_tokens.hpp"

#include <algorithm>

#include "auth/accounts/row_reader.hpp"
#include "auth/accounts/secrets.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/utf8.hpp"

namespace mecapy::auth::accounts {
namespace {

constexpr std::size_t kDisplayPrefixLength = 10;  // "mcp_" and 6 characters
constexpr std::size_t kMaxNameCharacters = 100;
constexpr auto kLastUsedPrecision = std::chrono::minutes(1);

constexpr const char* kTokenColumns =
    "id, user_id, name, scopes, prefix, created_at, expires_at, last_used_at, revoked_at";

// Scopes are stored space-separated, in canonical order ("read run").
std::string join_scopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& scope : scopes) out += (out.empty() ? "" : " ") + scope;
  return out;
}

std::vector<std::string> split_scopes(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(text.find(' ', at), text.size());
    if (end > at) out.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

ApiToken read_token(const db::Result& result, const db::Row& row) {
  const RowReader r(result, row);
  ApiToken t;
  t.id = r.text("id");
  t.user_id = r.text("user_id");
  t.name = r.text("name");
  t.scopes = split_scopes(r.text("scopes"));
  t.prefix = r.text("prefix");
  t.created_at = r.text("created_at");
  t.expires_at = r.text("expires_at");
  t.last_used_at = r.text("last_used_at");
  t.revoked_at = r.text("revoked_at");
  return t;
}

void check_name(std::string_view name) {
  const auto characters = decode_utf8(name);
  const bool control =
      std::any_of(characters.begin(), characters.end(), [](char32_t c) { return c < 0x20 || (c >= 0x7f && c < 0xa0); });
  if (characters.empty() || characters.size() > kMaxNameCharacters || control)
    throw Error(ErrorKind::invalid_input, "invalid-token-name",
                "A token's name is 1 to 100 characters, without control characters.");
}

}  // namespace

bool ApiToken::has_scope(std::string_view scope) const {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

const std::vector<std::string>& known_scopes() {
  static const std::vector<std::string> scopes = {"read", "run", "deploy", "admin"};
  return scopes;
}

std::vector<std::string> canonical_scopes(const std::vector<std::string>& scopes) {
  const auto& known = known_scopes();
  for (const auto& scope : scopes)
    if (std::find(known.begin(), known.end(), scope) == known.end())
      throw Error(ErrorKind::invalid_input, "invalid-scope",
                  "Unknown scope '" + scope + "': a token's scopes are among read, run, deploy and admin.");
  if (scopes.empty())
    throw Error(ErrorKind::invalid_input, "invalid-scope",
                "A token needs at least one scope among read, run, deploy and admin.");
  std::vector<std::string> out;
  for (const auto& scope : known)
    if (std::find(scopes.begin(), scopes.end(), scope) != scopes.end()) out.push_back(scope);
  return out;
}

CreatedToken ApiTokenStore::create(std::string_view user, std::string_view name, const std::vector<std::string>& scopes,
                                   std::optional<TimePoint> expires_at, TimePoint now) {
  CreatedToken created;
  ApiToken& t = created.token;
  t.scopes = canonical_scopes(scopes);
  check_name(name);
  if (expires_at && *expires_at <= now)
    throw Error(ErrorKind::invalid_input, "invalid-expiry", "A token's expiry must be in the future.");
  const auto owner = users_.find(user);
  if (!owner) throw_user_not_found(user);
  created.plaintext = std::string(kApiTokenPrefix) + new_secret();
  t.id = new_uuid();
  t.user_id = owner->id;
  t.name = std::string(name);
  t.prefix = created.plaintext.substr(0, kDisplayPrefixLength);
  t.created_at = timestamp(now);
  t.expires_at = expires_at ? timestamp(*expires_at) : "";
  db_.execute(
      "INSERT INTO api_tokens (id, user_id, name, scopes, token_hash, prefix, created_at, expires_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {t.id, t.user_id, t.name, join_scopes(t.scopes), secret_digest(created.plaintext), t.prefix, t.created_at,
       null_if_empty(t.expires_at)});
  return created;
}

TokenAuthentication ApiTokenStore::authenticate(std::string_view plaintext, TimePoint now) {
  TokenAuthentication out;
  // Only the well-formed reach the database. The look-up is by the digest, so the
  // index's comparisons reveal nothing about the secret's characters.
  if (!plaintext.starts_with(kApiTokenPrefix) || !may_be_secret(plaintext.substr(kApiTokenPrefix.size()))) return out;
  const auto r = db_.execute(std::string("SELECT ") + kTokenColumns + " FROM api_tokens WHERE token_hash = $1",
                             {secret_digest(plaintext)});
  if (r.rows.empty()) return out;
  ApiToken token = read_token(r, r.rows[0]);
  const std::string at = timestamp(now);
  if (!token.revoked_at.empty()) {
    out.failure = TokenFailure::revoked;
    return out;
  }
  if (!token.expires_at.empty() && token.expires_at <= at) {
    out.failure = TokenFailure::expired;
    return out;
  }
  out.user = users_.find(token.user_id);
  if (!out.user || out.user->disabled) {
    out.failure = out.user ? TokenFailure::user_disabled : TokenFailure::unknown;
    return out;
  }
  const std::string stale = timestamp(now - kLastUsedPrecision);
  if (token.last_used_at.empty() || token.last_used_at <= stale) {
    // Conditional: of instances using one token in the same minute, one writes.
    db_.execute(
        "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $3)",
        {token.id, at, stale});
    token.last_used_at = at;
  }
  out.failure = TokenFailure::none;
  out.token = std::move(token);
  return out;
}

std::vector<ApiToken> ApiTokenStore::list(std::string_view user) {
  const auto r = db_.execute(
      std::string("SELECT ") + kTokenColumns + " FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC",
      {std::string(user)});
  std::vector<ApiToken> out;
  for (const auto& row : r.rows) out.push_back(read_token(r, row));
  return out;
}

ApiToken ApiTokenStore::revoke(std::string_view user, std::string_view id, TimePoint now) {
  db_.execute("UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
              {std::string(id), std::string(user), timestamp(now)});
  const auto r = db_.execute(std::string("SELECT ") + kTokenColumns + " FROM api_tokens WHERE id = $1 AND user_id = $2",
                             {std::string(id), std::string(user)});
  if (r.rows.empty())
    throw Error(ErrorKind::not_found, "token-not-found", "You have no token " + std::string(id) + ".");
  return read_token(r, r.rows[0]);
}

std::size_t ApiTokenStore::revoke_all(std::string_view user, TimePoint now) {
  const auto r = db_.execute("UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
                             {std::string(user), timestamp(now)});
  return static_cast<std::size_t>(r.affected_rows);
}

}  // namespace mecapy::auth::accounts
