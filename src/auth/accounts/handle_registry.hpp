// The table of taken handles, shared by users and organisations: one row per handle,
// whoever holds it, so a name is unique across both kinds even when two instances
// create a user and an organisation of the same name at once (the primary key
// decides). Rows are never deleted: a handle, once taken, is never given to another.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "db/database.hpp"

namespace mecapy::auth::accounts {

enum class HandleKind { user, organization };

// Takes `handle` inside the caller's transaction; false, writing nothing, when it is
// taken already. Does not check the handle rules (handles.hpp does).
bool claim_handle(db::Connection& connection, std::string_view handle, HandleKind kind, const std::string& now);

// Whose `handle` is; nullopt when nobody has it.
std::optional<HandleKind> handle_kind(db::Database& db, std::string_view handle);

// Throws Error(conflict, "handle-taken") for `handle`.
[[noreturn]] void throw_handle_taken(std::string_view handle);

}  // namespace mecapy::auth::accounts
