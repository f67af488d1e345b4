#include "http/principal.hpp"

#include <algorithm>

namespace mecapy::http {

bool Principal::has_scope(std::string_view scope) const {
  return std::any_of(scopes.begin(), scopes.end(), [&](const std::string& s) { return s == "*" || s == scope; });
}

Principal Principal::single_user() { return {"anonymous", PrincipalKind::single_user, {"*"}}; }

}  // namespace mecapy::http
