// The metadata store interface. Every subsystem talks to the database through this
// one interface; two drivers implement it: SQLite (embedded default) and PostgreSQL.
//
// SQL is written once with `$1, $2, ...` placeholders and portable types; the SQLite
// driver rewrites placeholders to its `?N` form. Each call runs on a connection
// leased from the driver's pool, so a Database may be used from many threads.
//
// Failures are reported as mecapy::Error:
//   unavailable  the server cannot be reached (connection refused, lost, timed out)
//   conflict     a uniqueness or foreign-key constraint was violated
//   internal     anything else (bad SQL, type errors)
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mecapy::db {

using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

struct Row {
  std::vector<Value> values;

  bool is_null(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(values.at(i)); }
  // Text of any non-null value (numbers are formatted); empty for null.
  std::string text(std::size_t i) const;
  // Integer value; text holding an integer is converted. Throws on null or non-numbers.
  std::int64_t int64(std::size_t i) const;
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
};

// Opens `url`: `sqlite:PATH` or `postgresql://...` (also `postgres://`). The SQLite
// file's directory is created if missing. Throws Error(unavailable) if the database
// cannot be reached and Error(invalid_input) for an unsupported URL.
std::unique_ptr<Database> open_database(const std::string& url, int pool_size);

// Rewrites `$N` placeholders (outside quotes) into SQLite's `?N`.
std::string to_sqlite_placeholders(std::string_view sql);

// Removes the password from a connection URL for logs and errors.
std::string redact_url(std::string_view url);

}  // namespace mecapy::db
