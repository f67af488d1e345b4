#include "http/metrics.hpp"

#include <unistd.h>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <chrono>
#include <fstream>
#include <mutex>
#include <sstream>

#include "core/log.hpp"

namespace mecapy::http {
namespace {

// Reads resident set size (bytes) and CPU time (seconds) of this process from
// /proc/self/stat (fields 14, 15 utime/stime in clock ticks, 24 rss in pages; proc(5)).
bool read_process_stats(double& rss_bytes, double& cpu_seconds) {
  std::ifstream in("/proc/self/stat");
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto paren = content.rfind(')');
  if (paren == std::string::npos) return false;
  std::istringstream fields(content.substr(paren + 2));
  std::string f;
  double utime = 0, stime = 0, rss_pages = 0;
  // After "pid (comm) ", the next field is number 3 (state).
  for (int n = 3; fields >> f; ++n) {
    if (n == 14) utime = std::stod(f);
    if (n == 15) stime = std::stod(f);
    if (n == 24) {
      rss_pages = std::stod(f);
      break;
    }
  }
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  rss_bytes = rss_pages * static_cast<double>(sysconf(_SC_PAGESIZE));
  cpu_seconds = (utime + stime) / ticks;
  return true;
}

std::string status_class(int status) { return std::to_string(status / 100) + "xx"; }

}  // namespace

struct Metrics::State {
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  prometheus::Family<prometheus::Counter>& requests =
      prometheus::BuildCounter()
          .Name("mecapy_http_requests_total")
          .Help("HTTP requests answered, by route template, method and status class")
          .Register(*registry);
  prometheus::Family<prometheus::Histogram>& durations =
      prometheus::BuildHistogram()
          .Name("mecapy_http_request_duration_seconds")
          .Help("Time from the complete request to the response, by route template and method")
          .Register(*registry);
  prometheus::Gauge& in_flight = prometheus::BuildGauge()
                                     .Name("mecapy_http_requests_in_flight")
                                     .Help("Requests being handled now")
                                     .Register(*registry)
                                     .Add({});
  prometheus::Gauge& rss = prometheus::BuildGauge()
                               .Name("process_resident_memory_bytes")
                               .Help("Resident memory size in bytes")
                               .Register(*registry)
                               .Add({});
  // Exposed as a gauge holding the running total: the kernel owns the counter.
  prometheus::Gauge& cpu = prometheus::BuildGauge()
                               .Name("process_cpu_seconds_total")
                               .Help("Total user and system CPU time spent in seconds")
                               .Register(*registry)
                               .Add({});
  prometheus::Gauge& start_time = prometheus::BuildGauge()
                                      .Name("process_start_time_seconds")
                                      .Help("Start time of the process since the Unix epoch in seconds")
                                      .Register(*registry)
                                      .Add({});
  prometheus::Counter& log_dropped = prometheus::BuildCounter()
                                         .Name("mecapy_log_lines_dropped_total")
                                         .Help("Log lines dropped because the log writer's queue was full")
                                         .Register(*registry)
                                         .Add({});
  std::mutex render_mutex;
};

Metrics::Metrics() : state_(std::make_unique<State>()) {
  using namespace std::chrono;
  state_->start_time.Set(duration<double>(system_clock::now().time_since_epoch()).count());
}

Metrics::~Metrics() = default;

void Metrics::request_started() { state_->in_flight.Increment(); }

void Metrics::request_finished(std::string_view route, std::string_view method, int status, double seconds) {
  state_->in_flight.Decrement();
  const std::string r(route.empty() ? "unmatched" : route);
  const std::string m(method);
  state_->requests.Add({{"route", r}, {"method", m}, {"status_class", status_class(status)}}).Increment();
  static const prometheus::Histogram::BucketBoundaries buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                                  0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  state_->durations.Add({{"route", r}, {"method", m}}, buckets).Observe(seconds);
}

prometheus::Registry& Metrics::registry() { return *state_->registry; }

std::string Metrics::render() {
  std::lock_guard lock(state_->render_mutex);
  double rss = 0, cpu = 0;
  if (read_process_stats(rss, cpu)) {
    state_->rss.Set(rss);
    state_->cpu.Set(cpu);
  }
  // The log counts drops itself (core has no metrics); catch the counter up.
  const auto dropped = static_cast<double>(log_lines_dropped());
  if (dropped > state_->log_dropped.Value()) state_->log_dropped.Increment(dropped - state_->log_dropped.Value());
  return prometheus::TextSerializer().Serialize(state_->registry->Collect());
}

}  // namespace mecapy::http
