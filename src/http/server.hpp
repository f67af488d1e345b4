// The HTTP/1.1 server: Boost.Beast on one Asio reactor thread with C++20 coroutines,
// plus an offload pool for handlers that may block.
//
// Blocking work runs on two pools: `offloaded` routes (database, disk) on one,
// `blob_io` routes and their streamed bodies (blob store I/O, which may hang on a
// remote store) on the other, so a stalled blob store cannot starve database-only
// routes. A request that needs a pool while max_queued_requests of its tasks already
// wait for a thread (all threads busy) gets 503 server-busy with Retry-After, before
// its body is read;
// beyond max_connections open connections, a new connection gets the same 503 and
// is closed.
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
  int blob_io_threads = 4;
  std::size_t max_queued_requests = 256;  // per pool: tasks waiting for a thread
  std::size_t max_connections = 1024;
  bool handle_signals = true;  // install SIGTERM/SIGINT handlers in run()
};

// A snapshot of the server's load (for metrics and tests); safe from any thread.
struct ServerStats {
  std::size_t open_connections = 0;
  std::size_t offload_waiting = 0;  // tasks waiting for an offload thread
  std::size_t blob_io_waiting = 0;  // tasks waiting for a blob_io thread
};

class HttpServer {
 public:
  // Binds and listens immediately (throws std::system_error when it cannot).
  HttpServer(ServerOptions options, const Pipeline& pipeline);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  std::uint16_t port() const;
  ServerStats stats() const;
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
