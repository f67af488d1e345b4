#include "db/database.hpp"

#include <charconv>

#include "core/errors.hpp"
#include "core/numbers.hpp"
#include "db/postgres_database.hpp"
#include "db/sqlite_database.hpp"

namespace mecapy::db {

std::string Row::text(std::size_t i) const {
  const Value& v = values.at(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  if (const auto* d = std::get_if<double>(&v)) return format_double(*d);
  return {};
}

std::int64_t Row::int64(std::size_t i) const {
  const Value& v = values.at(i);
  if (const auto* n = std::get_if<std::int64_t>(&v)) return *n;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
  if (const auto* s = std::get_if<std::string>(&v)) {
    std::int64_t out = 0;
    auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
    if (ec == std::errc() && p == s->data() + s->size()) return out;
  }
  throw Error(ErrorKind::internal, "database-type", "column " + std::to_string(i) + " is not an integer");
}

double Row::number(std::size_t i) const {
  const Value& v = values.at(i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
  if (const auto* s = std::get_if<std::string>(&v))
    if (const auto parsed = parse_double(*s)) return *parsed;
  throw Error(ErrorKind::internal, "database-type", "column " + std::to_string(i) + " is not a number");
}

std::string to_sqlite_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote) {
      if (c == quote) quote = 0;
      out.push_back(c);
    } else if (c == '\'' || c == '"') {
      quote = c;
      out.push_back(c);
    } else if (c == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      out.push_back('?');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string redact_url(std::string_view url) {
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  if (scheme == std::string_view::npos || at == std::string_view::npos || at < scheme) return std::string(url);
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

std::unique_ptr<Database> open_database(const std::string& url, int pool_size) {
  DatabaseOptions options;
  options.pool_size = pool_size;
  return open_database(url, options);
}

std::unique_ptr<Database> open_database(const std::string& url, const DatabaseOptions& options) {
  if (url.starts_with("sqlite:")) {
    std::string path = url.substr(7);
    if (path.starts_with("//")) path = path.substr(2);
    return std::make_unique<SqliteDatabase>(path, options);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://"))
    return std::make_unique<PostgresDatabase>(url, options);
  throw Error(ErrorKind::invalid_input, "invalid-database-url", "unsupported database URL: " + redact_url(url));
}

}  // namespace mecapy::db
