// Handles: the names of users and organisations, one namespace for both (like GitHub),
// so `owner/package` names exactly one owner. The handle is the owner id stored in
// every owner_id column (files, packages, jobs). A handle is 1 to 39 characters of
// [a-z0-9._-], starting with a letter or a digit, and never changes once taken.
//
// Reserved, never given to anybody: anonymous, api, auth, system, me, root; and
// admin, which only the bootstrap administrator gets (admin_bootstrap.hpp).
#pragma once

#include <string>
#include <string_view>

namespace mecapy::auth::accounts {

inline constexpr std::size_t kMaxHandleLength = 39;
// The handle of the administrator created at first start.
inline constexpr std::string_view kBootstrapAdminHandle = "admin";
// The actor of what operators do from the command line (audit_log.hpp).
inline constexpr std::string_view kSystemActor = "system";

// True when `handle` follows the character rules (reserved or not).
bool is_well_formed_handle(std::string_view handle);
// True for the reserved handles, `admin` included.
bool is_reserved_handle(std::string_view handle);

// Throws Error(invalid_input, "invalid-handle") saying which rule `handle` breaks, or
// that it is reserved. Uppercase is refused, not folded: a new handle is spelled as
// it will be stored. `allow_bootstrap_admin` admits `admin`.
void check_new_handle(std::string_view handle, bool allow_bootstrap_admin = false);

// The closest well-formed handle to `name` (a provider's preferred_username, an email's
// local part): lowercased, every run of other characters turned into one '-', leading
// and trailing separators dropped, cut to `max_length`. Empty when nothing is left.
// The result may be reserved: the caller picks another then.
std::string sanitize_handle(std::string_view name, std::size_t max_length = kMaxHandleLength);

}  // namespace mecapy::auth::accounts
