#include "auth/accounts/login_state_store.hpp"

#include "auth/accounts/row_reader.hpp"
#include "auth/accounts/secrets.hpp"
#include "core/errors.hpp"

namespace mecapy::auth::accounts {

std::string LoginStateStore::put(const std::string& code_verifier, const std::string& nonce,
                                 const std::string& return_to, std::chrono::seconds ttl, TimePoint now) {
  if (code_verifier.empty() || nonce.empty() || ttl.count() <= 0)
    throw Error(ErrorKind::invalid_input, "invalid-login-state",
                "A login needs a code verifier, a nonce and a positive lifetime.");
  std::string state = new_secret();
  db_.execute(
      "INSERT INTO login_states (state_hash, code_verifier, nonce, return_to, expires_at) VALUES ($1, $2, $3, $4, $5)",
      {secret_digest(state), code_verifier, nonce, return_to, timestamp(now + ttl)});
  return state;
}

std::optional<LoginState> LoginStateStore::take(std::string_view state, TimePoint now) {
  if (!may_be_secret(state)) return std::nullopt;
  const auto r = db_.execute(
      "DELETE FROM login_states WHERE state_hash = $1 RETURNING code_verifier, nonce, return_to, expires_at",
      {secret_digest(state)});
  if (r.rows.empty()) return std::nullopt;
  const RowReader row(r, r.rows[0]);
  LoginState out{row.text("code_verifier"), row.text("nonce"), row.text("return_to"), row.text("expires_at")};
  if (out.expires_at <= timestamp(now)) return std::nullopt;
  return out;
}

std::size_t LoginStateStore::purge_expired(TimePoint now) {
  return static_cast<std::size_t>(
      db_.execute("DELETE FROM login_states WHERE expires_at <= $1", {timestamp(now)}).affected_rows);
}

}  // namespace mecapy::auth::accounts
