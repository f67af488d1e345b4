// PostgreSQL driver of the metadata store, over libpq. Connections come from a pool;
// a connection found broken (server restarted, network cut) is dropped and the
// statement is retried once on a fresh connection, so a restart of the server costs
// the callers in flight at most one failed statement, and none when it is already
// back. Connections time out after 5 s when the server does not answer.
#pragma once

#include <string>

#include "db/connection_pool.hpp"
#include "db/database.hpp"

struct pg_conn;

namespace mecapy::db {

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(const std::string& url);
  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Result execute(std::string_view sql, const std::vector<Value>& params = {}) override;
  void execute_script(std::string_view sql) override;
  // False once the connection to the server is lost.
  bool alive() const;

 private:
  pg_conn* conn_ = nullptr;
};

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(std::string url, int pool_size);

  Dialect dialect() const override { return Dialect::postgres; }
  std::string describe() const override { return redact_url(url_); }
  Result execute(std::string_view sql, const std::vector<Value>& params = {}) override;
  void transaction(const std::function<void(Connection&)>& work) override;
  void ping() override;

 private:
  std::string url_;
  ConnectionPool<PostgresConnection> pool_;
};

}  // namespace mecapy::db
