#include "core/log.hpp"

#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <mutex>

#include "core/clock.hpp"

namespace mecapy {
namespace {

struct LoggerState {
  std::mutex mutex;
  std::string service = "mecapyd";
  LogSink sink;
};

LoggerState& state() {
  static LoggerState s;
  return s;
}

std::atomic<int> g_min_level{static_cast<int>(LogLevel::info)};

void write_stdout(std::string_view line) {
  const char* p = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    const ssize_t n = ::write(STDOUT_FILENO, p, left);
    if (n <= 0) return;  // nowhere to report a failing log stream
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

boost::json::value string_or_null(const std::string& s) {
  if (s.empty()) return nullptr;
  return boost::json::string(s);
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view text) {
  if (text == "debug") return LogLevel::debug;
  if (text == "info") return LogLevel::info;
  if (text == "warning" || text == "warn") return LogLevel::warning;
  if (text == "error") return LogLevel::error;
  return std::nullopt;
}

std::string_view to_string(LogLevel level) {
  switch (level) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warning:
      return "warning";
    case LogLevel::error:
      return "error";
  }
  return "info";
}

void configure_logging(std::string service, LogLevel min_level, LogSink sink) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  s.service = std::move(service);
  s.sink = std::move(sink);
  g_min_level.store(static_cast<int>(min_level));
}

bool log_enabled(LogLevel level) { return static_cast<int>(level) >= g_min_level.load(std::memory_order_relaxed); }

std::string format_log_line(LogLevel level, std::string_view service, std::string_view message, const LogContext* c) {
  boost::json::object o;
  o["timestamp"] = now_rfc3339();
  o["level"] = to_string(level);
  o["service"] = service;
  o["request_id"] = c ? string_or_null(c->request_id) : nullptr;
  o["user_id"] = c ? string_or_null(c->user_id) : nullptr;
  o["endpoint"] = c ? string_or_null(c->endpoint) : nullptr;
  o["method"] = c ? string_or_null(c->method) : nullptr;
  if (c && c->status_code)
    o["status_code"] = *c->status_code;
  else
    o["status_code"] = nullptr;
  if (c && c->duration_ms)
    o["duration_ms"] = *c->duration_ms;
  else
    o["duration_ms"] = nullptr;
  o["message"] = message;
  if (c && !c->trace_id.empty()) o["trace_id"] = c->trace_id;
  std::string line = boost::json::serialize(o);
  line.push_back('\n');
  return line;
}

void log(LogLevel level, std::string_view message, const LogContext* context) {
  if (!log_enabled(level)) return;
  auto& s = state();
  std::lock_guard lock(s.mutex);
  const std::string line = format_log_line(level, s.service, message, context);
  if (s.sink)
    s.sink(line);
  else
    write_stdout(line);
}

}  // namespace mecapy
