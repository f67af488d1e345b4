#include "support/postgres_peer.hpp"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace mecapy::test_peers {
namespace {
const std::string kPeer = std::string(MECAPY_SOURCE_DIR) + "/tests/peers/postgres";
}

std::string run_command(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) throw std::runtime_error("popen failed: " + command);
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int status = ::pclose(p);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("command failed: " + command + "\n" + out);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

PostgresPeer& PostgresPeer::instance() {
  static PostgresPeer peer;
  return peer;
}

PostgresPeer::PostgresPeer() {
  char tmpl[] = "/tmp/mecapy-pg-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  dir_ = std::string(tmpl) + "/cluster";
  url_ = run_command(kPeer + " start " + dir_);
}

PostgresPeer::~PostgresPeer() {
  try {
    run_command(kPeer + " destroy " + dir_);
    run_command("rm -rf " + dir_.substr(0, dir_.rfind('/')));
  } catch (...) {
  }
}

void PostgresPeer::restart() { run_command(kPeer + " restart " + dir_); }
void PostgresPeer::stop() { run_command(kPeer + " stop " + dir_); }
void PostgresPeer::start() { run_command(kPeer + " restart " + dir_); }

std::string PostgresPeer::create_database(const std::string& name) {
  const auto slash = url_.rfind('/');
  const std::string admin = url_;
  run_command("PGOPTIONS='-c client_min_messages=warning' psql -q -v ON_ERROR_STOP=1 '" + admin +
              "' -c 'DROP DATABASE IF EXISTS " + name + "' -c 'CREATE DATABASE " + name + "' >/dev/null");
  return url_.substr(0, slash + 1) + name;
}

}  // namespace mecapy::test_peers
