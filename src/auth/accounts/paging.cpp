#include "auth/accounts/paging.hpp"

#include <cstdint>

#include "core/errors.hpp"

namespace mecapy::auth::accounts {

std::string limit_clause(const PageRequest& request) {
  if (request.page < 1 || request.per_page < 1 || request.per_page > 100)
    throw Error(ErrorKind::invalid_input, "invalid-query", "page must be >= 1 and per_page between 1 and 100.");
  const std::int64_t offset = static_cast<std::int64_t>(request.page - 1) * request.per_page;
  return " LIMIT " + std::to_string(request.per_page) + " OFFSET " + std::to_string(offset);
}

}  // namespace mecapy::auth::accounts
