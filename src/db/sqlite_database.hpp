// SQLite driver of the metadata store (the embedded default). The file is opened in
// WAL mode so readers never block the writer, with synchronous=FULL unless the
// options relax it (a committed row survives power loss); every connection waits up
// to 5 s on a locked database instead of failing, and enforces foreign keys. Each
// connection keeps the statements it has run prepared for reuse. run_exclusively()
// takes an flock on a file beside the database, so it also excludes other processes.
#pragma once

#include <string>
#include <unordered_map>

#include "db/connection_pool.hpp"
#include "db/database.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace mecapy::db {

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& path, bool full_sync);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Result execute(std::string_view sql, const std::vector<Value>& params = {}) override;
  void execute_script(std::string_view sql) override;

 private:
  [[noreturn]] void fail(int code, std::string_view what);
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;  // prepared once, reused
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, const DatabaseOptions& options);

  Dialect dialect() const override { return Dialect::sqlite; }
  std::string describe() const override { return "sqlite:" + path_; }
  Result execute(std::string_view sql, const std::vector<Value>& params = {}) override;
  void transaction(const std::function<void(Connection&)>& work) override;
  void ping() override;
  bool run_exclusively(std::string_view name, const std::function<void()>& work) override;

 private:
  std::string path_;
  bool full_sync_;
  ConnectionPool<SqliteConnection> pool_;
};

}  // namespace mecapy::db
