// Prometheus metrics of the HTTP server and the process, exposed at GET /metrics in
// the text exposition format:
//   mecapy_http_requests_total{route,method,status_class}
//   mecapy_http_request_duration_seconds{route,method}   (histogram)
//   mecapy_http_requests_in_flight
//   mecapy_log_lines_dropped_total  (the asynchronous log writer's queue was full)
//   process_resident_memory_bytes, process_cpu_seconds_total, process_start_time_seconds
// `route` is the route template ("/api/v1/files/{id}"), or "unmatched", so the label
// set stays bounded whatever paths clients send.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace prometheus {
class Registry;
}

namespace mecapy::http {

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  void request_started();
  void request_finished(std::string_view route, std::string_view method, int status, double seconds);

  // Registry for other subsystems' metrics (jobs, sandbox, storage).
  prometheus::Registry& registry();
  // The text exposition of every metric, process metrics refreshed first.
  std::string render();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace mecapy::http
