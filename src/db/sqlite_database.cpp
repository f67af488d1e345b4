#include "db/sqlite_database.hpp"

#include <sqlite3.h>

#include <filesystem>

#include "core/errors.hpp"

namespace mecapy::db {
namespace {

// Statements kept prepared per connection; SQL beyond this many distinct texts is
// prepared for each call instead (bounded memory whatever callers do).
constexpr std::size_t kStatementCacheSize = 64;

// Returns a statement to its connection on every path out of execute(): a cached one
// is reset for its next use, an uncached one is finalized.
struct StatementUse {
  sqlite3_stmt* stmt = nullptr;
  bool cached = false;
  ~StatementUse() {
    if (cached) {
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
    } else {
      sqlite3_finalize(stmt);
    }
  }
};

ErrorKind kind_of(int code) {
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
      return ErrorKind::conflict;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
      return ErrorKind::unavailable;
    default:
      return ErrorKind::internal;
  }
}

}  // namespace

SqliteConnection::SqliteConnection(const std::string& path) {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(ErrorKind::unavailable, "database-unavailable", "cannot open SQLite database " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db_, 5000);
  execute_script("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

void SqliteConnection::fail(int code, std::string_view what) {
  const std::string detail = std::string(what) + ": " + sqlite3_errmsg(db_);
  const ErrorKind kind = kind_of(code);
  const char* slug = kind == ErrorKind::conflict      ? "conflict"
                     : kind == ErrorKind::unavailable ? "database-unavailable"
                                                      : "database-error";
  throw Error(kind, slug, detail);
}

Result SqliteConnection::execute(std::string_view sql, const std::vector<Value>& params) {
  const std::string text = to_sqlite_placeholders(sql);
  StatementUse st;
  int rc = SQLITE_OK;
  if (const auto it = statements_.find(text); it != statements_.end()) {
    st.stmt = it->second;
    st.cached = true;
  } else {
    const bool keep = statements_.size() < kStatementCacheSize;
    rc = sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()), keep ? SQLITE_PREPARE_PERSISTENT : 0,
                            &st.stmt, nullptr);
    if (rc != SQLITE_OK) fail(rc, "prepare");
    if (keep && st.stmt) {
      statements_.emplace(text, st.stmt);
      st.cached = true;
    }
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int idx = static_cast<int>(i + 1);
    const Value& v = params[i];
    if (std::holds_alternative<std::nullptr_t>(v))
      rc = sqlite3_bind_null(st.stmt, idx);
    else if (const auto* n = std::get_if<std::int64_t>(&v))
      rc = sqlite3_bind_int64(st.stmt, idx, *n);
    else if (const auto* d = std::get_if<double>(&v))
      rc = sqlite3_bind_double(st.stmt, idx, *d);
    else {
      const auto& s = std::get<std::string>(v);
      rc = sqlite3_bind_text(st.stmt, idx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    }
    if (rc != SQLITE_OK) fail(rc, "bind");
  }
  Result result;
  // Columns are read after the first step: a reused statement is re-prepared by that
  // step when the schema changed since, and only then describes the current columns.
  rc = sqlite3_step(st.stmt);
  const int ncols = sqlite3_column_count(st.stmt);
  for (int c = 0; c < ncols; ++c) result.columns.emplace_back(sqlite3_column_name(st.stmt, c));
  for (; rc == SQLITE_ROW; rc = sqlite3_step(st.stmt)) {
    Row row;
    row.values.reserve(static_cast<std::size_t>(ncols));
    for (int c = 0; c < ncols; ++c) {
      switch (sqlite3_column_type(st.stmt, c)) {
        case SQLITE_INTEGER:
          row.values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(st.stmt, c)));
          break;
        case SQLITE_FLOAT:
          row.values.emplace_back(sqlite3_column_double(st.stmt, c));
          break;
        case SQLITE_NULL:
          row.values.emplace_back(nullptr);
          break;
        default: {
          const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st.stmt, c));
          row.values.emplace_back(std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(st.stmt, c))));
        }
      }
    }
    result.rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) fail(rc, "step");
  result.affected_rows = sqlite3_changes(db_);
  return result;
}

void SqliteConnection::execute_script(std::string_view sql) {
  const std::string text(sql);
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    const std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    const ErrorKind kind = kind_of(rc);
    throw Error(kind, kind == ErrorKind::conflict ? "conflict" : "database-error", "script: " + msg);
  }
}

SqliteDatabase::SqliteDatabase(std::string path, int pool_size)
    : path_(std::move(path)), pool_(pool_size, [this] { return std::make_unique<SqliteConnection>(path_); }) {
  const auto parent = std::filesystem::path(path_).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec)
    throw Error(ErrorKind::unavailable, "database-unavailable",
                "cannot create directory " + parent.string() + ": " + ec.message());
  ping();
}

Result SqliteDatabase::execute(std::string_view sql, const std::vector<Value>& params) {
  auto conn = pool_.lease();
  return conn->execute(sql, params);
}

void SqliteDatabase::transaction(const std::function<void(Connection&)>& work) {
  auto conn = pool_.lease();
  conn->execute_script("BEGIN IMMEDIATE");
  try {
    work(*conn);
    conn->execute_script("COMMIT");
  } catch (...) {
    try {
      conn->execute_script("ROLLBACK");
    } catch (...) {
      conn.mark_broken();  // state unknown: do not hand this connection out again
    }
    throw;
  }
}

void SqliteDatabase::ping() { execute("SELECT 1"); }

}  // namespace mecapy::db
