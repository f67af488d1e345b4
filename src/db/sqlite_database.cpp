#include "db/sqlite_database.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
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

// The public detail of a driver failure; the driver's own words go to cause().
std::string public_detail(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::conflict:
      return "The request conflicts with data stored meanwhile; reload and retry.";
    case ErrorKind::unavailable:
      return "The metadata store is unavailable; retry shortly.";
    default:
      return "The metadata store failed.";
  }
}

const char* slug_of(ErrorKind kind) {
  return kind == ErrorKind::conflict      ? "conflict"
         : kind == ErrorKind::unavailable ? "database-unavailable"
                                          : "database-error";
}

}  // namespace

SqliteConnection::SqliteConnection(const std::string& path, bool full_sync) {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(ErrorKind::unavailable, "database-unavailable", public_detail(ErrorKind::unavailable),
                "cannot open SQLite database " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db_, 5000);
  execute_script(full_sync ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                           : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

void SqliteConnection::fail(int code, std::string_view what) {
  const std::string message = sqlite3_errmsg(db_);
  if (message.starts_with("no such table:"))
    throw Error(ErrorKind::unavailable, "schema-not-current", std::string(kSchemaNotCurrent),
                "SQLite " + std::string(what) + ": " + message);
  const ErrorKind kind = kind_of(code);
  throw Error(kind, slug_of(kind), public_detail(kind), "SQLite " + std::string(what) + ": " + sqlite3_errmsg(db_));
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
    else if (const auto* d = std::get_if<double>(&v)) {
      // SQLite would store NaN as NULL: refuse what cannot be stored exactly.
      if (!std::isfinite(*d))
        throw Error(ErrorKind::invalid_input, "non-finite-number",
                    "parameter " + std::to_string(idx) + " is not a finite number; NaN and infinities are not stored.");
      rc = sqlite3_bind_double(st.stmt, idx, *d);
    } else {
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
    throw Error(kind, slug_of(kind), public_detail(kind), "SQLite script: " + msg);
  }
}

SqliteDatabase::SqliteDatabase(std::string path, const DatabaseOptions& options)
    : path_(std::move(path)),
      full_sync_(options.sqlite_full_sync),
      pool_(options.pool_size, options.pool_timeout,
            [this] { return std::make_unique<SqliteConnection>(path_, full_sync_); }) {
  const auto parent = std::filesystem::path(path_).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec)
    throw Error(ErrorKind::unavailable, "database-unavailable", public_detail(ErrorKind::unavailable),
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

bool SqliteDatabase::run_exclusively(std::string_view name, const std::function<void()>& work) {
  // An in-memory database has one process by definition: a lock file per name in
  // the temporary directory still excludes the threads of this one.
  const std::string base = path_.starts_with(":memory:") || path_.empty()
                               ? (std::filesystem::temp_directory_path() / "mecapy-memory-db").string()
                               : path_;
  const std::string lock_path = base + "." + std::string(name) + ".lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    throw Error(ErrorKind::unavailable, "database-unavailable", public_detail(ErrorKind::unavailable),
                "cannot open lock file " + lock_path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return false;
  }
  try {
    work();
  } catch (...) {
    ::close(fd);  // closing releases the lock
    throw;
  }
  ::close(fd);
  return true;
}

}  // namespace mecapy::db
