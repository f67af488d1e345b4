#include "s3_peer.hpp"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace mecapy::storage::testing {
namespace {
const std::string kPeer = std::string(MECAPY_SOURCE_DIR) + "/tests/peers/s3";
}

std::string run(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) throw std::runtime_error("popen failed: " + command);
  std::array<char, 4096> buf{};
  for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), p)) > 0;) out.append(buf.data(), n);
  const int status = ::pclose(p);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("command failed: " + command + "\n" + out);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

S3Peer& S3Peer::instance() {
  static S3Peer peer;
  return peer;
}

S3Peer::S3Peer() {
  char tmpl[] = "/tmp/mecapy-s3-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  dir_ = std::string(tmpl) + "/moto";
  endpoint_ = run(kPeer + " start " + dir_);
}

S3Peer::~S3Peer() {
  try {
    run(kPeer + " destroy " + dir_);
    run("rm -rf " + dir_.substr(0, dir_.rfind('/')));
  } catch (...) {
  }
}

void S3Peer::stop() { run(kPeer + " stop " + dir_); }
void S3Peer::restart() { run(kPeer + " restart " + dir_); }

std::pair<std::string, std::string> S3Peer::enable_auth() {
  const std::string out = run(kPeer + " enable-auth " + dir_);
  const auto space = out.find(' ');
  if (space == std::string::npos) throw std::runtime_error("enable-auth printed: " + out);
  return {out.substr(0, space), out.substr(space + 1)};
}

void S3Peer::disable_auth() { run(kPeer + " disable-auth " + dir_); }

s3::S3Config S3Peer::fresh_bucket_config() {
  s3::S3Config config;
  config.endpoint = endpoint_;
  config.path_style = true;
  config.create_bucket = true;
  config.bucket = "test-bucket-" + std::to_string(++buckets_);
  config.credentials = {"mecapy-test-key", "mecapy-test-secret", ""};
  s3::S3Client(config).create_bucket();
  return config;
}

}  // namespace mecapy::storage::testing
