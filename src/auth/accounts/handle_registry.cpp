#include "auth/accounts/handle_registry.hpp"

#include "core/errors.hpp"

namespace mecapy::auth::accounts {
namespace {

const char* kind_name(HandleKind kind) { return kind == HandleKind::user ? "user" : "organization"; }

}  // namespace

bool claim_handle(db::Connection& connection, std::string_view handle, HandleKind kind, const std::string& now) {
  // ON CONFLICT DO NOTHING rather than a failing INSERT: on PostgreSQL a failed
  // statement aborts the whole transaction, and the caller wants to answer instead.
  const auto r = connection.execute(
      "INSERT INTO handles (handle, kind, created_at) VALUES ($1, $2, $3) ON CONFLICT (handle) DO NOTHING",
      {std::string(handle), std::string(kind_name(kind)), now});
  return r.affected_rows == 1;
}

std::optional<HandleKind> handle_kind(db::Database& db, std::string_view handle) {
  const auto r = db.execute("SELECT kind FROM handles WHERE handle = $1", {std::string(handle)});
  if (r.rows.empty()) return std::nullopt;
  return r.rows[0].text(0) == "user" ? HandleKind::user : HandleKind::organization;
}

void throw_handle_taken(std::string_view handle) {
  throw Error(ErrorKind::conflict, "handle-taken",
              "The name '" + std::string(handle) + "' is taken by a user or an organisation: choose another.");
}

}  // namespace mecapy::auth::accounts
