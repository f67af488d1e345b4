// Reads one row of a result by column name, for records whose fields a db::RecordMap
// cannot hold (flags, NULL-able columns, JSON lists): a missing column is a bug and
// throws Error(internal, "database-type") naming it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "db/database.hpp"

namespace mecapy::auth::accounts {

class RowReader {
 public:
  RowReader(const db::Result& result, const db::Row& row) : result_(result), row_(row) {}

  // The text of the column; '' for NULL.
  std::string text(std::string_view column) const;
  std::int64_t int64(std::string_view column) const;
  // An integer column holding 0 or 1.
  bool flag(std::string_view column) const { return int64(column) != 0; }

 private:
  std::size_t index(std::string_view column) const;

  const db::Result& result_;
  const db::Row& row_;
};

// A parameter for a column where '' is stored as NULL.
inline db::Value null_if_empty(const std::string& text) { return text.empty() ? db::Value(nullptr) : db::Value(text); }

}  // namespace mecapy::auth::accounts
