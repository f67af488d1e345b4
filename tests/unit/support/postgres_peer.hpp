// A real PostgreSQL server for tests, started once per test binary on first use with
// tests/peers/postgres (a throwaway cluster on a free loopback port) and destroyed at
// exit. A test that needs PostgreSQL fails — never skips — when it cannot start.
#pragma once

#include <string>

namespace mecapy::test_peers {

class PostgresPeer {
 public:
  static PostgresPeer& instance();
  const std::string& url() const { return url_; }
  // Stops and starts the server again on the same port (existing connections break).
  void restart();
  void stop();
  void start();
  // A fresh, empty database on the server; returns its URL.
  std::string create_database(const std::string& name);

 private:
  PostgresPeer();
  ~PostgresPeer();
  std::string dir_;
  std::string url_;
};

// Runs a shell command, returns its stdout; throws if it exits non-zero.
std::string run_command(const std::string& command);

}  // namespace mecapy::test_peers
