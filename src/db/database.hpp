// The metadata store interface. Every subsystem talks to the database through this
// one interface; two drivers implement it: SQLite (embedded default) and PostgreSQL.
//
// SQL is written once with `$1, $2, ...` placeholders and portable types; the SQLite
// driver rewrites placeholders to its `?N` form. Each call runs on a connection
// leased from the driver's pool, so a Database may be used from many threads.
//
// Failures are reported as mecapy::Error:
//   unavailable    the server cannot be reached (connection refused, lost, timed
//                  out), or every pooled connection stayed busy for pool_timeout
//   conflict       a uniqueness or foreign-key constraint was violated
//   invalid_input  a parameter cannot be stored exactly (a NaN or infinite double)
//   internal       anything else (bad SQL, type errors)
// The public detail of these errors never carries the driver's message (it may name
// tables, values or hosts); Error::cause() does, for the log.
//
// Numbers are exact: an int64 or a finite double bound as a parameter is read back
// bit-identical, on both drivers (doubles never pass through a lossy text form).
// Schema rule for SQLite: a column holding doubles is declared without a type
// affinity (e.g. `value` alone, or BLOB in a SQLite-only migration), because a REAL
// column stores -0.0 as the integer 0. PostgreSQL columns use DOUBLE PRECISION.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mecapy::db {

// The public detail of a query that met a table the schema does not have yet: the
// operator has not applied this binary's migrations. Both drivers answer it as
// Error(unavailable, "schema-not-current"). (A missing column stays an internal
// error: migrations add tables and columns together, so that is a schema changed
// behind the server's back.)
inline constexpr std::string_view kSchemaNotCurrent =
    "The database schema is not current: run `mecapyd migrate up` (or start `mecapyd serve` without --no-migrate).";

using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

struct Row {
  std::vector<Value> values;

  bool is_null(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(values.at(i)); }
  // Text of any non-null value (numbers are formatted); empty for null.
  std::string text(std::size_t i) const;
  // Integer value; text holding an integer is converted. Throws on null or non-numbers.
  std::int64_t int64(std::size_t i) const;
  // Floating-point value (an integer column converts); throws on null or non-numbers.
  double number(std::size_t i) const;
};

struct Result {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  std::int64_t affected_rows = 0;
};

enum class Dialect { sqlite, postgres };

// A single connection, valid for the duration of a transaction() callback.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Result execute(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Runs several `;`-separated statements without parameters (migration scripts).
  virtual void execute_script(std::string_view sql) = 0;
};

class Database {
 public:
  virtual ~Database() = default;

  virtual Dialect dialect() const = 0;
  // A display form of the location, with any password removed.
  virtual std::string describe() const = 0;

  // Runs one statement in its own implicit transaction.
  virtual Result execute(std::string_view sql, const std::vector<Value>& params = {}) = 0;

  // Runs `work` inside a transaction on one connection: committed when `work`
  // returns, rolled back when it throws (the exception is rethrown).
  virtual void transaction(const std::function<void(Connection&)>& work) = 0;

  // Checks the database answers; throws Error(unavailable) when it does not.
  virtual void ping() = 0;

  // Runs `work` while holding the lock `name`, which excludes every process using
  // this database (several API instances on one PostgreSQL), if nobody holds it;
  // returns false at once, without running `work`, when somebody does. For
  // maintenance that one instance at a time must do (collecting orphaned blobs).
  virtual bool run_exclusively(std::string_view name, const std::function<void()>& work) = 0;
};

struct DatabaseOptions {
  int pool_size = 8;
  // How long a statement waits for a pooled connection before failing with
  // Error(unavailable, "database-busy") (a 503), instead of waiting forever.
  std::chrono::milliseconds pool_timeout{5'000};
  // PostgreSQL: the server cancels a statement running longer than this (0: never).
  std::chrono::milliseconds statement_timeout{30'000};
  // SQLite: FULL (the default) syncs the log on every commit, so a row answered
  // 201 survives a power loss; NORMAL syncs at checkpoints only (faster, may lose
  // the last commits on power loss, never corrupts).
  bool sqlite_full_sync = true;
};

// Opens `url`: `sqlite:PATH` or `postgresql://...` (also `postgres://`). The SQLite
// file's directory is created if missing. Throws Error(unavailable) if the database
// cannot be reached and Error(invalid_input) for an unsupported URL.
std::unique_ptr<Database> open_database(const std::string& url, const DatabaseOptions& options);
std::unique_ptr<Database> open_database(const std::string& url, int pool_size);

// Rewrites `$N` placeholders (outside quotes) into SQLite's `?N`.
std::string to_sqlite_placeholders(std::string_view sql);

// Removes the password from a connection URL for logs and errors.
std::string redact_url(std::string_view url);

}  // namespace mecapy::db
