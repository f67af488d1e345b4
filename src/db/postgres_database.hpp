// PostgreSQL driver of the metadata store, over libpq. Connections come from a pool.
//
// Lost connections: before a pooled connection is used, it is checked without a
// round trip (is the socket readable, and does libpq then see it closed?), so a
// connection the server dropped while it sat idle — a restart — is replaced before
// any statement is sent on it. A connection lost *while* a statement ran is never
// followed by a blind retry: the server may have committed it. Only a read-only
// statement (SELECT) is retried once on a fresh connection; a write fails with
// Error(unavailable) and the caller decides.
//
// Every connection: 5 s connect timeout, TCP keepalives (a silent network cut is
// noticed in about a minute), the configured statement_timeout, and
// extra_float_digits=3 so doubles come back exactly. Doubles are sent in binary.
#pragma once

#include <string>

#include "db/connection_pool.hpp"
#include "db/database.hpp"

struct pg_conn;

namespace mecapy::db {

class PostgresConnection final : public Connection {
 public:
  PostgresConnection(const std::string& url, std::chrono::milliseconds statement_timeout);
  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Result execute(std::string_view sql, const std::vector<Value>& params = {}) override;
  void execute_script(std::string_view sql) override;
  // False once the connection to the server is lost.
  bool alive() const;
  // Checks, without sending anything, that an idle connection has not been closed
  // by the server meanwhile; false when it has (the connection is then unusable).
  bool still_open();

 private:
  pg_conn* conn_ = nullptr;
};

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(std::string url, const DatabaseOptions& options);

  Dialect dialect() const override { return Dialect::postgres; }
  std::string describe() const override { return redact_url(url_); }
  Result execute(std::string_view sql, const std::vector<Value>& params = {}) override;
  void transaction(const std::function<void(Connection&)>& work) override;
  void ping() override;
  bool run_exclusively(std::string_view name, const std::function<void()>& work) override;

 private:
  using Lease = ConnectionPool<PostgresConnection>::Lease;
  // A pooled connection that is still open (stale ones are dropped on the way).
  Lease lease_open();

  std::string url_;
  std::chrono::milliseconds statement_timeout_;
  ConnectionPool<PostgresConnection> pool_;
};

}  // namespace mecapy::db
