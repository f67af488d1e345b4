// A real S3 server for tests: moto, started once per test binary on first use with
// tests/peers/s3 (loopback, free port) and destroyed at exit. Tests that need it fail,
// never skip, when it cannot start. Also the configuration of a fresh bucket on it.
#pragma once

#include <string>
#include <utility>

#include "storage/s3/s3_client.hpp"

namespace mecapy::storage::testing {

class S3Peer {
 public:
  static S3Peer& instance();
  const std::string& endpoint() const { return endpoint_; }  // http://127.0.0.1:PORT
  std::string port() const { return endpoint_.substr(endpoint_.rfind(':') + 1); }
  void stop();
  void restart();  // same port, empty state
  // Turns on moto's signature checking; returns (access key id, secret) of a user
  // allowed everything.
  std::pair<std::string, std::string> enable_auth();
  void disable_auth();

  // A config for a new, empty bucket on this server (created), path-style, with the
  // fixed test credentials.
  s3::S3Config fresh_bucket_config();

 private:
  S3Peer();
  ~S3Peer();
  std::string dir_;
  std::string endpoint_;
  int buckets_ = 0;
};

// Runs a shell command, returns its stdout without the final newline; throws if it fails.
std::string run(const std::string& command);

}  // namespace mecapy::storage::testing
