// A loopback TCP proxy for fault tests: forwards bytes both ways between its clients
// and one target, and on request cuts a connection at a chosen moment — after the
// server's next answer has arrived but before the client receives it, which is how a
// network loses the reply to a statement the server already committed.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace mecapy::test_peers {

class TcpProxy {
 public:
  TcpProxy(std::string target_host, std::uint16_t target_port);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  std::uint16_t port() const { return port_; }
  // The next bytes any server sends are dropped and that connection is closed on
  // both sides.
  void cut_next_reply() { cut_next_reply_.store(true); }
  // How many connections have been cut so far.
  int cuts() const { return cuts_.load(); }

 private:
  void accept_loop();
  void relay(int client, int server);

  std::string target_host_;
  std::uint16_t target_port_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> cut_next_reply_{false};
  std::atomic<int> cuts_{0};
  std::thread acceptor_;
};

}  // namespace mecapy::test_peers
