#include "core/log.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <cstdio>
#include <memory>
#include <mutex>
#include <vector>

#include "core/clock.hpp"
#include "core/log_writer.hpp"

namespace mecapy {
namespace {

struct LoggerState {
  std::mutex mutex;
  std::string service = "mecapyd";
  LogSink sink;
  std::unique_ptr<LogWriter> writer;  // set while logging is asynchronous
  std::size_t capacity = 0;
};

LoggerState& state() {
  static LoggerState s;
  return s;
}

std::atomic<int> g_min_level{static_cast<int>(LogLevel::info)};
std::atomic<std::uint64_t> g_dropped{0};

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

// Where lines go: the configured sink, else stdout.
void deliver(const LogSink& sink, std::string_view line) {
  if (sink)
    sink(line);
  else
    write_stdout(line);
}

// A configured sink gets one line per call; stdout gets each batch in as few writes
// as possible.
std::unique_ptr<LogWriter> make_writer(std::size_t capacity, const LogSink& sink) {
  if (sink) return std::make_unique<LogWriter>(capacity, LogWriter::LineSink(sink));
  return std::make_unique<LogWriter>(capacity, LogWriter::BatchSink([](const std::vector<std::string>& lines) {
                                       constexpr std::size_t kChunk = std::size_t{64} << 10;
                                       std::string chunk;
                                       for (const auto& line : lines) {
                                         chunk += line;
                                         if (chunk.size() >= kChunk) {
                                           write_stdout(chunk);
                                           chunk.clear();
                                         }
                                       }
                                       write_stdout(chunk);
                                     }));
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
  if (s.writer) s.writer = make_writer(s.capacity, s.sink);  // the old one delivers its lines first
}

void start_async_logging(std::size_t capacity) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  if (s.writer) return;
  s.capacity = std::max<std::size_t>(capacity, 1);
  s.writer = make_writer(s.capacity, s.sink);
}

void stop_async_logging() {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  s.writer.reset();  // delivers what is queued, then joins the writer thread
}

void flush_logs() {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  if (s.writer) s.writer->flush();
}

std::uint64_t log_lines_dropped() { return g_dropped.load(std::memory_order_relaxed); }

bool log_enabled(LogLevel level) { return static_cast<int>(level) >= g_min_level.load(std::memory_order_relaxed); }

std::string format_log_line(LogLevel level, std::string_view service, std::string_view message, const LogContext* c) {
  // Written by hand rather than through a JSON object so that duration_ms reads as a
  // plain decimal with microsecond precision (a serializer would print 4.87E-1).
  auto quoted = [](std::string_view s) { return boost::json::serialize(boost::json::string_view(s.data(), s.size())); };
  auto text_or_null = [&](const std::string* s) { return s && !s->empty() ? quoted(*s) : std::string("null"); };
  std::string line = "{\"timestamp\":\"" + now_rfc3339() + "\",\"level\":\"" + std::string(to_string(level)) +
                     "\",\"service\":" + quoted(service);
  line += ",\"request_id\":" + text_or_null(c ? &c->request_id : nullptr);
  line += ",\"user_id\":" + text_or_null(c ? &c->user_id : nullptr);
  line += ",\"endpoint\":" + text_or_null(c ? &c->endpoint : nullptr);
  line += ",\"method\":" + text_or_null(c ? &c->method : nullptr);
  line += ",\"status_code\":" + (c && c->status_code ? std::to_string(*c->status_code) : std::string("null"));
  line += ",\"duration_ms\":";
  if (c && c->duration_ms) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", *c->duration_ms);
    line += buf;
  } else {
    line += "null";
  }
  line += ",\"message\":" + quoted(message);
  if (c && !c->trace_id.empty()) line += ",\"trace_id\":" + quoted(c->trace_id);
  line += "}\n";
  return line;
}

void log(LogLevel level, std::string_view message, const LogContext* context) {
  if (!log_enabled(level)) return;
  auto& s = state();
  std::string service;
  {
    std::lock_guard lock(s.mutex);
    service = s.service;  // short: no allocation
  }
  // Formatted outside the lock: threads logging at once only share the hand-over.
  std::string line = format_log_line(level, service, message, context);
  std::lock_guard lock(s.mutex);
  if (!s.writer)
    deliver(s.sink, line);
  else if (!s.writer->push(std::move(line)))
    g_dropped.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace mecapy
