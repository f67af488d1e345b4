#include "auth/accounts/row_reader.hpp"

#include "core/errors.hpp"

namespace mecapy::auth::accounts {

std::size_t RowReader::index(std::string_view column) const {
  for (std::size_t i = 0; i < result_.columns.size(); ++i)
    if (result_.columns[i] == column) return i;
  throw Error(ErrorKind::internal, "database-type", "the result has no column " + std::string(column));
}

std::string RowReader::text(std::string_view column) const { return row_.text(index(column)); }

std::int64_t RowReader::int64(std::string_view column) const { return row_.int64(index(column)); }

}  // namespace mecapy::auth::accounts
