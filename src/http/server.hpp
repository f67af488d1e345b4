// The HTTP/1.1 server: Boost.Beast on one Asio reactor thread with C++20 coroutines,
// plus an offload pool for handlers that may block.
//
// Per connection: keep-alive; an idle timeout while waiting for a request, a header
// timeout for the header block, a body timeout for the body and the response;
// header and body size limits (431/413 problem+json, connection closed).
// Malformed requests get 400 problem+json and the connection is closed.
//
// Shutdown (SIGTERM/SIGINT or request_stop()): stop accepting, close idle
// connections, let requests in flight finish (their responses carry
// Connection: close) for at most `shutdown_timeout`, then run() returns.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/pipeline.hpp"

namespace mecapy::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;  // 0: any free port, see HttpServer::port()
  std::uint64_t max_body_size = 8ull << 20;
  std::uint32_t max_header_size = 16u << 10;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{60'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds shutdown_timeout{30'000};
  int offload_threads = 4;
  bool handle_signals = true;  // install SIGTERM/SIGINT handlers in run()
};

class HttpServer {
 public:
  // Binds and listens immediately (throws std::system_error when it cannot).
  HttpServer(ServerOptions options, const Pipeline& pipeline);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  std::uint16_t port() const;
  // Serves until shutdown completes. Returns true when every in-flight request
  // finished within the shutdown timeout.
  bool run();
  // Starts a graceful shutdown; safe from any thread.
  void request_stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mecapy::http
