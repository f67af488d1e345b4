// Structured logging: one JSON object per line, always with the same fields —
//   timestamp, level, service, request_id, user_id, endpoint, method, status_code,
//   duration_ms, message
// plus trace_id when the request carried a W3C traceparent. Fields that do not apply
// (a start-up message has no request) are null, so every line has one shape.
// Thread-safe; each line is written with a single write so lines never interleave.
//
// Synchronous by default (tests, short commands). After start_async_logging(), log()
// only formats the line and queues it for one background writer thread, so a request
// never waits for stdout: when `capacity` lines are waiting, new ones are dropped and
// counted (log_lines_dropped(), exported as mecapy_log_lines_dropped_total). Call
// flush_logs() before exiting on a fatal path, so the reason is not lost.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace mecapy {

enum class LogLevel { debug = 0, info = 1, warning = 2, error = 3 };

// Parses "debug", "info", "warning"/"warn", "error"; nullopt otherwise.
std::optional<LogLevel> parse_log_level(std::string_view text);
std::string_view to_string(LogLevel level);

// Request-scoped fields; absent ones are logged as null.
struct LogContext {
  std::string request_id;
  std::string user_id;
  std::string endpoint;  // the route template, e.g. /api/v1/files/{id}
  std::string method;
  std::string trace_id;
  std::optional<int> status_code;
  std::optional<double> duration_ms;
};

// Sink receives complete lines (with the trailing newline). Default: stdout.
using LogSink = std::function<void(std::string_view line)>;

// Replaces the sink; while asynchronous, lines already queued still go to the old one.
void configure_logging(std::string service, LogLevel min_level, LogSink sink = {});
void start_async_logging(std::size_t capacity = 16384);
// Delivers what is queued, then logs synchronously again.
void stop_async_logging();
// Returns once every line logged so far reached the sink.
void flush_logs();
std::uint64_t log_lines_dropped();
bool log_enabled(LogLevel level);
void log(LogLevel level, std::string_view message, const LogContext* context = nullptr);

// Formats one line without writing it (used by log() and by tests).
std::string format_log_line(LogLevel level, std::string_view service, std::string_view message,
                            const LogContext* context);

inline void log_debug(std::string_view m, const LogContext* c = nullptr) { log(LogLevel::debug, m, c); }
inline void log_info(std::string_view m, const LogContext* c = nullptr) { log(LogLevel::info, m, c); }
inline void log_warning(std::string_view m, const LogContext* c = nullptr) { log(LogLevel::warning, m, c); }
inline void log_error(std::string_view m, const LogContext* c = nullptr) { log(LogLevel::error, m, c); }

}  // namespace mecapy
