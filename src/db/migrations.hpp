// Versioned schema migrations. Each migration is a pair of SQL scripts compiled into
// the binary from src/db/migrations/: NNNN_name.up.sql and NNNN_name.down.sql. A
// dialect may override either with NNNN_name.up.sqlite.sql / .up.postgres.sql.
// Applied versions are recorded in the table schema_migrations; each migration runs
// in one transaction together with its record, so a failing script leaves the schema
// as it was. Concurrent migrators are serialised: SQLite by BEGIN IMMEDIATE,
// PostgreSQL by a transaction-scoped advisory lock taken before the version check.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace mecapy::db {

struct Migration {
  int version = 0;
  std::string name;
  std::string up;
  std::string down;
};

struct MigrationStatus {
  int version = 0;
  std::string name;
  bool applied = false;
  std::string applied_at;  // RFC 3339, empty when pending
};

// True when a built-in migration is not applied to `db` yet.
bool has_pending_migrations(Database& db);

// The built-in migrations for `dialect`, ordered by version.
std::vector<Migration> builtin_migrations(Dialect dialect);

class Migrator {
 public:
  Migrator(Database& db, std::vector<Migration> migrations);

  // Applies every pending migration in order; returns the versions applied.
  std::vector<int> up();
  // Reverts the `count` most recently applied migrations; returns the versions reverted.
  std::vector<int> down(int count);
  std::vector<MigrationStatus> status();
  // Highest applied version, 0 when none.
  int current_version();

 private:
  // Runs `work` in a transaction holding the migration lock, the migrations table
  // created first if missing (under the lock too).
  void locked(const std::function<void(Connection&)>& work);
  void ensure_table();

  Database& db_;
  std::vector<Migration> migrations_;
};

}  // namespace mecapy::db
