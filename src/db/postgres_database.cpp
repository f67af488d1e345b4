#include "db/postgres_database.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <bit>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "core/errors.hpp"
#include "core/numbers.hpp"

namespace mecapy::db {
namespace {

// Type OIDs from the PostgreSQL catalog (pg_type.dat): int2, int4, int8, oid, bool,
// float4, float8.
constexpr Oid kInt2 = 21, kInt4 = 23, kInt8 = 20, kOid = 26, kBool = 16, kFloat4 = 700, kFloat8 = 701;

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

[[noreturn]] void throw_unavailable(const std::string& cause) {
  throw Error(ErrorKind::unavailable, "database-unavailable", "The metadata store is unavailable; retry shortly.",
              "PostgreSQL: " + cause);
}

std::string trimmed_message(const char* msg) {
  std::string s = msg ? msg : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Maps a failed result to an Error: class 23 (integrity constraint violation) is a
// conflict; classes 08 (connection), 57P (operator intervention: shutdown) and 53
// (insufficient resources) mean the database is unavailable.
[[noreturn]] void throw_result_error(pg_conn* conn, const PGresult* res) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const std::string code = state ? state : "";
  const std::string msg = trimmed_message(res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  if (PQstatus(conn) != CONNECTION_OK || code.starts_with("08") || code.starts_with("57P") || code.starts_with("53"))
    throw_unavailable(msg);
  if (code.starts_with("57014"))  // query_canceled: statement_timeout
    throw Error(ErrorKind::unavailable, "database-timeout",
                "The metadata store took too long to answer; retry shortly.", "PostgreSQL: " + msg);
  if (code == "42P01")  // undefined_table
    throw Error(ErrorKind::unavailable, "schema-not-current", std::string(kSchemaNotCurrent), "PostgreSQL: " + msg);
  if (code.starts_with("23"))
    throw Error(ErrorKind::conflict, "conflict", "The request conflicts with data stored meanwhile; reload and retry.",
                "PostgreSQL: " + msg);
  throw Error(ErrorKind::internal, "database-error", "The metadata store failed.", "PostgreSQL: " + msg);
}

Value convert(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col)) return nullptr;
  const char* v = PQgetvalue(res, row, col);
  switch (PQftype(res, col)) {
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid:
      return static_cast<std::int64_t>(std::strtoll(v, nullptr, 10));
    case kBool:
      return static_cast<std::int64_t>(v[0] == 't' ? 1 : 0);
    case kFloat4:
    case kFloat8:
      if (const auto d = parse_double(v)) return *d;
      return std::strtod(v, nullptr);  // "Infinity", "NaN": never written by this driver
    default:
      return std::string(v, static_cast<std::size_t>(PQgetlength(res, row, col)));
  }
}

// True for statements that only read, which may run twice without harm.
bool is_read_only(std::string_view sql) {
  while (!sql.empty() && std::isspace(static_cast<unsigned char>(sql.front()))) sql.remove_prefix(1);
  if (sql.size() < 6) return false;
  for (std::size_t i = 0; i < 6; ++i)
    if (std::toupper(static_cast<unsigned char>(sql[i])) != "SELECT"[i]) return false;
  return sql.size() == 6 || !std::isalnum(static_cast<unsigned char>(sql[6]));
}

// A stable 64-bit key for an advisory lock name (FNV-1a).
std::int64_t advisory_key(std::string_view name) {
  std::uint64_t h = 1469598103934665603ull;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return static_cast<std::int64_t>(h);
}

}  // namespace

PostgresConnection::PostgresConnection(const std::string& url, std::chrono::milliseconds statement_timeout) {
  // These come before the URL so that a value in the URL itself wins.
  const char* keys[] = {"connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count",
                        "dbname",          nullptr};
  const char* values[] = {"5", "1", "30", "10", "3", url.c_str(), nullptr};
  conn_ = PQconnectdbParams(keys, values, 1);
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string msg = trimmed_message(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw_unavailable(msg);
  }
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
  try {
    execute_script("SET extra_float_digits = 3; SET statement_timeout = " + std::to_string(statement_timeout.count()));
  } catch (...) {
    PQfinish(conn_);
    conn_ = nullptr;
    throw;
  }
}

PostgresConnection::~PostgresConnection() { PQfinish(conn_); }

bool PostgresConnection::alive() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

bool PostgresConnection::still_open() {
  if (!alive()) return false;
  // Something arriving while idle is a notice, or the server closing the connection
  // (an error message, then end of file): read until nothing more is pending, so
  // that libpq sees the end of file if there is one.
  for (int reads = 0; reads < 8; ++reads) {
    pollfd p{PQsocket(conn_), POLLIN, 0};
    if (::poll(&p, 1, 0) == 0) return alive();  // nothing pending: the usual case
    if (PQconsumeInput(conn_) == 0) return false;
    if (!alive()) return false;
  }
  return false;  // a stream of unsolicited data: not a connection to trust
}

Result PostgresConnection::execute(std::string_view sql, const std::vector<Value>& params) {
  // Integers and strings go as text with the type inferred by the server; doubles go
  // as binary float8 (the IEEE 754 bits, big-endian), which no text form can alter.
  const std::size_t n = params.size();
  std::vector<std::string> texts(n);
  std::vector<const char*> ptrs(n, nullptr);
  std::vector<Oid> types(n, 0);
  std::vector<int> lengths(n, 0);
  std::vector<int> formats(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const Value& v = params[i];
    if (std::holds_alternative<std::nullptr_t>(v)) continue;
    if (const auto* k = std::get_if<std::int64_t>(&v)) {
      texts[i] = std::to_string(*k);
    } else if (const auto* d = std::get_if<double>(&v)) {
      if (!std::isfinite(*d))
        throw Error(
            ErrorKind::invalid_input, "non-finite-number",
            "parameter " + std::to_string(i + 1) + " is not a finite number; NaN and infinities are not stored.");
      std::uint64_t bits = std::bit_cast<std::uint64_t>(*d);
      if constexpr (std::endian::native == std::endian::little) bits = __builtin_bswap64(bits);
      texts[i].assign(reinterpret_cast<const char*>(&bits), sizeof bits);
      types[i] = kFloat8;
      lengths[i] = static_cast<int>(sizeof bits);
      formats[i] = 1;
    } else {
      texts[i] = std::get<std::string>(v);
    }
    ptrs[i] = texts[i].c_str();
  }
  const std::string text(sql);
  ResultPtr res(PQexecParams(conn_, text.c_str(), static_cast<int>(n), types.data(), ptrs.data(), lengths.data(),
                             formats.data(), 0),
                &PQclear);
  const auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) throw_result_error(conn_, res.get());
  Result out;
  const int ncols = PQnfields(res.get());
  const int nrows = PQntuples(res.get());
  for (int c = 0; c < ncols; ++c) out.columns.emplace_back(PQfname(res.get(), c));
  out.rows.reserve(static_cast<std::size_t>(nrows));
  for (int r = 0; r < nrows; ++r) {
    Row row;
    row.values.reserve(static_cast<std::size_t>(ncols));
    for (int c = 0; c < ncols; ++c) row.values.push_back(convert(res.get(), r, c));
    out.rows.push_back(std::move(row));
  }
  const char* affected = PQcmdTuples(res.get());
  out.affected_rows = (affected && *affected) ? std::strtoll(affected, nullptr, 10) : 0;
  return out;
}

void PostgresConnection::execute_script(std::string_view sql) {
  const std::string text(sql);
  ResultPtr res(PQexec(conn_, text.c_str()), &PQclear);
  const auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) throw_result_error(conn_, res.get());
}

PostgresDatabase::PostgresDatabase(std::string url, const DatabaseOptions& options)
    : url_(std::move(url)),
      statement_timeout_(options.statement_timeout),
      pool_(options.pool_size, options.pool_timeout,
            [this] { return std::make_unique<PostgresConnection>(url_, statement_timeout_); }) {
  ping();
}

PostgresDatabase::Lease PostgresDatabase::lease_open() {
  for (;;) {
    auto conn = pool_.lease();
    if (conn->still_open()) return conn;
    conn.mark_broken();  // closed while idle: nothing was sent on it, take another
  }
}

Result PostgresDatabase::execute(std::string_view sql, const std::vector<Value>& params) {
  {
    auto conn = lease_open();
    try {
      return conn->execute(sql, params);
    } catch (const Error&) {
      if (conn->alive()) throw;
      conn.mark_broken();
      // Lost while the statement ran: a write may have been committed before the
      // answer was lost, so only a read is repeated.
      if (!is_read_only(sql)) throw;
    }
  }  // the broken connection goes back to the pool (closed) before another is leased
  auto fresh = lease_open();
  try {
    return fresh->execute(sql, params);
  } catch (const Error&) {
    if (!fresh->alive()) fresh.mark_broken();
    throw;
  }
}

void PostgresDatabase::transaction(const std::function<void(Connection&)>& work) {
  auto conn = lease_open();
  try {
    conn->execute_script("BEGIN");
    work(*conn);
    conn->execute_script("COMMIT");
  } catch (...) {
    if (conn->alive()) {
      try {
        conn->execute_script("ROLLBACK");
      } catch (...) {
        conn.mark_broken();
      }
    } else {
      conn.mark_broken();
    }
    throw;
  }
}

void PostgresDatabase::ping() { execute("SELECT 1"); }

bool PostgresDatabase::run_exclusively(std::string_view name, const std::function<void()>& work) {
  // A session-level advisory lock held on one leased connection for the duration;
  // if that connection dies, the server releases the lock with it.
  auto conn = lease_open();
  const std::vector<Value> key{advisory_key(name)};
  const auto got = conn->execute("SELECT pg_try_advisory_lock($1::bigint)", key);
  if (got.rows.empty() || got.rows[0].int64(0) == 0) return false;
  try {
    work();
  } catch (...) {
    try {
      conn->execute("SELECT pg_advisory_unlock($1::bigint)", key);
    } catch (...) {
      conn.mark_broken();  // closing the session releases the lock
    }
    throw;
  }
  try {
    conn->execute("SELECT pg_advisory_unlock($1::bigint)", key);
  } catch (...) {
    conn.mark_broken();
  }
  return true;
}

}  // namespace mecapy::db
