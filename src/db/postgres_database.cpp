#include "db/postgres_database.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <memory>

#include "core/errors.hpp"

namespace mecapy::db {
namespace {

// Type OIDs from the PostgreSQL catalog (pg_type.dat): int2, int4, int8, oid, bool,
// float4, float8.
constexpr Oid kInt2 = 21, kInt4 = 23, kInt8 = 20, kOid = 26, kBool = 16, kFloat4 = 700, kFloat8 = 701;

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

[[noreturn]] void throw_unavailable(const std::string& detail) {
  throw Error(ErrorKind::unavailable, "database-unavailable", "PostgreSQL: " + detail);
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
  if (code.starts_with("23")) throw Error(ErrorKind::conflict, "conflict", msg);
  throw Error(ErrorKind::internal, "database-error", msg);
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
      return std::strtod(v, nullptr);
    default:
      return std::string(v, static_cast<std::size_t>(PQgetlength(res, row, col)));
  }
}

}  // namespace

PostgresConnection::PostgresConnection(const std::string& url) {
  // connect_timeout comes first so that a value in the URL itself wins.
  const char* keys[] = {"connect_timeout", "dbname", nullptr};
  const char* values[] = {"5", url.c_str(), nullptr};
  conn_ = PQconnectdbParams(keys, values, 1);
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string msg = trimmed_message(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw_unavailable(msg);
  }
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

PostgresConnection::~PostgresConnection() { PQfinish(conn_); }

bool PostgresConnection::alive() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

Result PostgresConnection::execute(std::string_view sql, const std::vector<Value>& params) {
  std::vector<std::string> texts(params.size());
  std::vector<const char*> ptrs(params.size(), nullptr);
  for (std::size_t i = 0; i < params.size(); ++i) {
    const Value& v = params[i];
    if (std::holds_alternative<std::nullptr_t>(v)) continue;
    if (const auto* n = std::get_if<std::int64_t>(&v))
      texts[i] = std::to_string(*n);
    else if (const auto* d = std::get_if<double>(&v))
      texts[i] = std::to_string(*d);
    else
      texts[i] = std::get<std::string>(v);
    ptrs[i] = texts[i].c_str();
  }
  const std::string text(sql);
  ResultPtr res(
      PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr, ptrs.data(), nullptr, nullptr, 0),
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

PostgresDatabase::PostgresDatabase(std::string url, int pool_size)
    : url_(std::move(url)), pool_(pool_size, [this] { return std::make_unique<PostgresConnection>(url_); }) {
  ping();
}

Result PostgresDatabase::execute(std::string_view sql, const std::vector<Value>& params) {
  for (int attempt = 0;; ++attempt) {
    auto conn = pool_.lease();
    try {
      return conn->execute(sql, params);
    } catch (const Error&) {
      if (conn->alive()) throw;
      conn.mark_broken();
      if (attempt > 0) throw;  // the fresh connection failed too: report it
    }
  }
}

void PostgresDatabase::transaction(const std::function<void(Connection&)>& work) {
  auto conn = pool_.lease();
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

}  // namespace mecapy::db
