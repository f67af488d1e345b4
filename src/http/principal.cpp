#include "http/principal.hpp"

#include <algorithm>

namespace mecapy::http {

bool Principal::has_scope(std::string_view scope) const {
  return every_scope || std::any_of(scopes.begin(), scopes.end(), [&](const std::string& s) { return s == scope; });
}

Principal Principal::single_user() {
  Principal p;
  p.id = "anonymous";
  p.kind = PrincipalKind::single_user;
  p.every_scope = true;
  return p;
}

}  // namespace mecapy::http
