#include "db/database.hpp"

#include <algorithm>
#include <cctype>
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

namespace {

constexpr std::string_view kMask = "***";

bool is_secret_key(std::string_view key) {
  auto same = [](std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) == y;
           });
  };
  return same(key, "password") || same(key, "sslpassword");
}

// URI form: the userinfo password, then every password/sslpassword query parameter.
std::string redact_uri(std::string_view url, std::size_t authority) {
  std::string out(url);
  const auto authority_end = std::min(out.find_first_of("/?#", authority), out.size());
  const auto at = out.rfind('@', authority_end);
  if (at != std::string::npos && at > authority) {
    const auto colon = out.find(':', authority);
    if (colon < at) out.replace(colon + 1, at - colon - 1, kMask);
  }
  const auto q = out.find('?');
  if (q == std::string::npos) return out;
  const auto fragment = std::min(out.find('#', q), out.size());
  std::string query;
  for (std::size_t i = q + 1; i <= fragment;) {
    const auto end = std::min(out.find('&', i), fragment);
    const std::string_view param = std::string_view(out).substr(i, end - i);
    const auto eq = param.find('=');
    if (i > q + 1) query += '&';
    query += eq != std::string_view::npos && is_secret_key(param.substr(0, eq))
                 ? std::string(param.substr(0, eq + 1)) + std::string(kMask)
                 : std::string(param);
    i = end + 1;
  }
  return out.substr(0, q + 1) + query + out.substr(fragment);
}

// key=value conninfo ("host=h password='a b'"): values are bare words or single-quoted,
// with backslash escapes in both.
std::string redact_conninfo(std::string_view info) {
  std::string out;
  std::size_t i = 0;
  auto space = [&] { return i < info.size() && std::isspace(static_cast<unsigned char>(info[i])); };
  while (i < info.size()) {
    const std::size_t start = i;
    while (space()) ++i;
    const std::size_t key_start = i;
    while (i < info.size() && info[i] != '=' && !space()) ++i;
    const std::string_view key = info.substr(key_start, i - key_start);
    while (space()) ++i;
    if (i == info.size() || info[i] != '=') {
      out += info.substr(start);  // not conninfo after all: keep the rest as it is
      break;
    }
    ++i;
    while (space()) ++i;
    out += info.substr(start, i - start);
    const std::size_t value = i;
    const bool quoted = i < info.size() && info[i] == '\'';
    if (quoted) ++i;
    while (i < info.size() && (quoted ? info[i] != '\'' : !space())) i += info[i] == '\\' ? 2 : 1;
    if (quoted && i < info.size()) ++i;
    i = std::min(i, info.size());
    out += is_secret_key(key) ? kMask : info.substr(value, i - value);
  }
  return out;
}

}  // namespace

std::string redact_url(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme != std::string_view::npos) return redact_uri(url, scheme + 3);
  if (url.find('=') != std::string_view::npos) return redact_conninfo(url);
  return std::string(url);
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
