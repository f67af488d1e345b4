#include "db/migrations.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/clock.hpp"
#include "core/embedded.hpp"
#include "core/errors.hpp"

namespace mecapy {
const std::vector<EmbeddedFile>& embedded_migration_files();
}

namespace mecapy::db {
namespace {

// Arbitrary constant identifying MecaPy's migration lock among advisory locks.
constexpr const char* kAdvisoryLockKey = "724032";

struct ParsedName {
  int version = 0;
  std::string name;
  std::string direction;  // up | down
  std::string dialect;    // empty, sqlite or postgres
};

// "0001_instance.up.postgres.sql" -> {1, "instance", "up", "postgres"}
bool parse_file_name(std::string_view file, ParsedName& out) {
  if (!file.ends_with(".sql")) return false;
  file.remove_suffix(4);
  const auto underscore = file.find('_');
  if (underscore == std::string_view::npos || underscore == 0) return false;
  for (char c : file.substr(0, underscore))
    if (c < '0' || c > '9') return false;
  out.version = std::stoi(std::string(file.substr(0, underscore)));
  std::string_view rest = file.substr(underscore + 1);
  for (const char* d : {"sqlite", "postgres"}) {
    const std::string suffix = std::string(".") + d;
    if (rest.ends_with(suffix)) {
      out.dialect = d;
      rest.remove_suffix(suffix.size());
    }
  }
  const auto dot = rest.rfind('.');
  if (dot == std::string_view::npos) return false;
  out.name = std::string(rest.substr(0, dot));
  out.direction = std::string(rest.substr(dot + 1));
  return out.direction == "up" || out.direction == "down";
}

}  // namespace

std::vector<Migration> builtin_migrations(Dialect dialect) {
  const std::string wanted = dialect == Dialect::sqlite ? "sqlite" : "postgres";
  std::map<int, Migration> by_version;
  std::set<std::string> overridden;  // "<version>.<direction>" set by a dialect file
  for (const auto& f : embedded_migration_files()) {
    ParsedName p;
    if (!parse_file_name(f.name, p)) continue;
    if (!p.dialect.empty() && p.dialect != wanted) continue;
    const std::string slot = std::to_string(p.version) + "." + p.direction;
    if (p.dialect.empty() && overridden.count(slot)) continue;
    if (!p.dialect.empty()) overridden.insert(slot);
    Migration& m = by_version[p.version];
    m.version = p.version;
    m.name = p.name;
    (p.direction == "up" ? m.up : m.down) = std::string(f.content);
  }
  std::vector<Migration> out;
  out.reserve(by_version.size());
  for (auto& [v, m] : by_version) out.push_back(std::move(m));
  return out;
}

bool has_pending_migrations(Database& db) {
  Migrator m(db, builtin_migrations(db.dialect()));
  for (const auto& s : m.status())
    if (!s.applied) return true;
  return false;
}

Migrator::Migrator(Database& db, std::vector<Migration> migrations) : db_(db), migrations_(std::move(migrations)) {
  std::sort(migrations_.begin(), migrations_.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
}

// What a failed migration script reports: the driver's words matter here (the
// operator runs migrations and reads this), so the cause is part of the message.
static std::string failure_text(const Error& e) { return e.cause().empty() ? e.what() : e.cause(); }

void Migrator::locked(const std::function<void(Connection&)>& work) {
  db_.transaction([&](Connection& c) {
    // Two first starts on one PostgreSQL must not race, not even to create the
    // migrations table: CREATE TABLE IF NOT EXISTS is not safe against a concurrent
    // one. On SQLite the transaction (BEGIN IMMEDIATE) is the lock.
    if (db_.dialect() == Dialect::postgres)
      c.execute(std::string("SELECT pg_advisory_xact_lock(") + kAdvisoryLockKey + ")");
    c.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
    work(c);
  });
}

void Migrator::ensure_table() {
  locked([](Connection&) {});
}

std::vector<int> Migrator::up() {
  std::vector<int> applied;
  {
    for (const auto& m : migrations_) {
      bool done = false;
      locked([&](Connection& c) {
        const auto r = c.execute("SELECT 1 FROM schema_migrations WHERE version = $1", {std::int64_t{m.version}});
        if (!r.rows.empty()) {
          done = true;
          return;
        }
        try {
          c.execute_script(m.up);
        } catch (const Error& e) {
          throw Error(ErrorKind::internal, "migration-failed",
                      "migration " + std::to_string(m.version) + "_" + m.name + " (up) failed: " + failure_text(e));
        }
        c.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                  {std::int64_t{m.version}, m.name, now_rfc3339()});
      });
      if (!done) applied.push_back(m.version);
    }
  }
  return applied;
}

std::vector<int> Migrator::down(int count) {
  std::vector<int> reverted;
  {
    for (int i = 0; i < count; ++i) {
      bool nothing_left = false;
      locked([&](Connection& c) {
        const auto r = c.execute("SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1");
        if (r.rows.empty()) {
          nothing_left = true;
          return;
        }
        const int version = static_cast<int>(r.rows[0].int64(0));
        const auto it = std::find_if(migrations_.begin(), migrations_.end(),
                                     [&](const Migration& m) { return m.version == version; });
        if (it == migrations_.end())
          throw Error(ErrorKind::internal, "migration-unknown",
                      "applied migration " + std::to_string(version) + " is unknown to this binary (newer schema?)");
        try {
          c.execute_script(it->down);
        } catch (const Error& e) {
          throw Error(ErrorKind::internal, "migration-failed",
                      "migration " + std::to_string(version) + "_" + it->name + " (down) failed: " + failure_text(e));
        }
        c.execute("DELETE FROM schema_migrations WHERE version = $1", {std::int64_t{version}});
        reverted.push_back(version);
      });
      if (nothing_left) break;
    }
  }
  return reverted;
}

std::vector<MigrationStatus> Migrator::status() {
  ensure_table();
  std::map<int, std::string> applied;
  for (const auto& row : db_.execute("SELECT version, applied_at FROM schema_migrations").rows)
    applied[static_cast<int>(row.int64(0))] = row.text(1);
  std::vector<MigrationStatus> out;
  for (const auto& m : migrations_) {
    const auto it = applied.find(m.version);
    out.push_back({m.version, m.name, it != applied.end(), it != applied.end() ? it->second : ""});
  }
  return out;
}

int Migrator::current_version() {
  ensure_table();
  const auto r = db_.execute("SELECT MAX(version) FROM schema_migrations");
  return r.rows.empty() || r.rows[0].is_null(0) ? 0 : static_cast<int>(r.rows[0].int64(0));
}

}  // namespace mecapy::db
