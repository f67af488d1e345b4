#include "db/instance_store.hpp"

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace mecapy::db {

std::optional<InstanceInfo> find_instance(Database& db) {
  const auto r = db.execute("SELECT id, name, created_at FROM instance ORDER BY created_at LIMIT 1");
  if (r.rows.empty()) return std::nullopt;
  return InstanceInfo{r.rows[0].text(0), r.rows[0].text(1), r.rows[0].text(2)};
}

InstanceInfo ensure_instance(Database& db, const std::string& default_name) {
  db.transaction([&](Connection& c) {
    // Two first starts on one PostgreSQL would both see no row and both insert one:
    // the check and the insert run under a lock of their own (on SQLite the
    // transaction, BEGIN IMMEDIATE, is already exclusive).
    if (db.dialect() == Dialect::postgres) c.execute("SELECT pg_advisory_xact_lock(724033)");
    if (c.execute("SELECT 1 FROM instance").rows.empty())
      c.execute("INSERT INTO instance (id, name, created_at) VALUES ($1, $2, $3)",
                {new_uuid(), default_name, now_rfc3339()});
  });
  return *find_instance(db);
}

}  // namespace mecapy::db
