#include "auth/accounts/handles.hpp"

#include <algorithm>
#include <array>

#include "core/errors.hpp"

namespace mecapy::auth::accounts {
namespace {

constexpr std::array<std::string_view, 7> kReserved = {"anonymous", "admin", "api", "auth", "system", "me", "root"};

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_separator(char c) { return c == '.' || c == '_' || c == '-'; }

[[noreturn]] void refuse(std::string_view handle, const std::string& why) {
  throw Error(ErrorKind::invalid_input, "invalid-handle", "The name '" + std::string(handle) + "' " + why);
}

}  // namespace

bool is_well_formed_handle(std::string_view handle) {
  if (handle.empty() || handle.size() > kMaxHandleLength || !is_alnum(handle.front())) return false;
  return std::all_of(handle.begin(), handle.end(), [](char c) { return is_alnum(c) || is_separator(c); });
}

bool is_reserved_handle(std::string_view handle) {
  return std::find(kReserved.begin(), kReserved.end(), handle) != kReserved.end();
}

void check_new_handle(std::string_view handle, bool allow_bootstrap_admin) {
  if (handle.empty()) refuse(handle, "is empty: choose a name of 1 to 39 characters.");
  if (handle.size() > kMaxHandleLength)
    refuse(std::string(handle.substr(0, kMaxHandleLength)) + "...", "is too long: a name has at most 39 characters.");
  if (!is_well_formed_handle(handle))
    refuse(handle,
           "is not allowed: use lowercase letters, digits, '.', '_' and '-', starting with a letter or a digit.");
  if (is_reserved_handle(handle) && !(allow_bootstrap_admin && handle == kBootstrapAdminHandle))
    refuse(handle, "is reserved: choose another name.");
}

std::string sanitize_handle(std::string_view name, std::size_t max_length) {
  std::string out;
  for (const char raw : name) {
    const char c = raw >= 'A' && raw <= 'Z' ? static_cast<char>(raw - 'A' + 'a') : raw;
    if (is_alnum(c) || is_separator(c)) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');  // one '-' for a run of spaces, '@', '+', non-ASCII bytes...
    }
  }
  const auto first = std::find_if(out.begin(), out.end(), is_alnum);
  out.erase(out.begin(), first);
  if (out.size() > max_length) out.resize(max_length);
  while (!out.empty() && is_separator(out.back())) out.pop_back();
  return out;
}

}  // namespace mecapy::auth::accounts
