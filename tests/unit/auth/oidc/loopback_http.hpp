// A tiny HTTP/1.1 responder on 127.0.0.1 (a free port) for the OIDC client tests:
// plain sockets and one thread, one request per connection. Each request is
// recorded and answered by the test's handler; the server stops (and every held
// connection is closed) when the object is destroyed.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace mecapy::auth::oidc::testing {

struct RecordedRequest {
  std::string method;
  std::string target;                                        // path and query, as sent
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
  std::string body;
  std::string header(std::string_view name) const;  // empty when absent
};

class LoopbackHttp {
 public:
  // The raw response to send; nullopt keeps the connection open without answering
  // until the server stops (for timeouts).
  using Handler = std::function<std::optional<std::string>(const RecordedRequest&)>;

  explicit LoopbackHttp(Handler handler);
  ~LoopbackHttp();
  LoopbackHttp(const LoopbackHttp&) = delete;
  LoopbackHttp& operator=(const LoopbackHttp&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url(std::string_view path = "") const;
  std::vector<RecordedRequest> requests() const;
  std::size_t count(std::string_view target) const;  // requests for this path (query ignored)

 private:
  void serve();
  void handle(int connection);

  Handler handler_;
  int listener_ = -1;
  int wake_[2] = {-1, -1};
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
  std::vector<int> held_;
  std::thread thread_;
};

// "HTTP/1.1 <status> X\r\nContent-Type: <type>\r\nContent-Length: n\r\nConnection: close\r\n<extra>\r\n<body>"
std::string http_response(int status, std::string_view body, std::string_view content_type = "application/json",
                          std::string_view extra_headers = "");

}  // namespace mecapy::auth::oidc::testing
