// Pages of the identity stores' lists, numbered from 1, like every list of the API.
#pragma once

#include <string>

namespace mecapy::auth::accounts {

struct PageRequest {
  int page = 1;
  int per_page = 20;  // 1..100
};

// " LIMIT n OFFSET m" for `request`; throws Error(invalid_input, "invalid-query") when
// page < 1 or per_page is outside 1..100.
std::string limit_clause(const PageRequest& request);

}  // namespace mecapy::auth::accounts
