// Following and printing jobs (see job_output.hpp).
#include "cli/job_output.hpp"

#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <thread>

#include "cli/output.hpp"
#include "core/json.hpp"

namespace mecapy::cli {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(250);

void emit(const boost::json::value& entry, LogSink sink) {
  const std::string chunk = member_text(entry, "chunk");
  switch (sink) {
    case LogSink::none:
      return;
    case LogSink::own_streams:
      std::fputs(chunk.c_str(), member_text(entry, "kind") == "stderr" ? stderr : stdout);
      break;
    case LogSink::stderr_only:
      std::fputs(chunk.c_str(), stderr);
      break;
    case LogSink::json_lines:
      std::printf("%s\n", serialize_json(entry).c_str());
      break;
  }
  std::fflush(stdout);
  std::fflush(stderr);
}

std::string job_path(const std::string& id) { return "/api/v1/jobs/" + encode(id); }

// The line at the bottom of a terminal's stderr that says how the job is doing while
// `mecapy run` waits; cleared before each log chunk and at the end. Nothing at all
// when stderr is not a terminal.
class StatusLine {
 public:
  StatusLine() : enabled_(::isatty(STDERR_FILENO) == 1) {}
  StatusLine(const StatusLine&) = delete;
  StatusLine& operator=(const StatusLine&) = delete;
  ~StatusLine() { clear(); }

  bool enabled() const { return enabled_; }
  void show(const std::string& text) {
    if (!enabled_) return;
    std::fputs(("\r" + text + "\033[K").c_str(), stderr);
    std::fflush(stderr);
    shown_ = true;
  }
  void clear() {
    if (!enabled_ || !shown_) return;
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    shown_ = false;
  }

 private:
  bool enabled_;
  bool shown_ = false;
};

}  // namespace

bool is_final(const std::string& status) {
  return status == "completed" || status == "failed" || status == "timeout" || status == "cancelled";
}

std::int64_t print_logs(ApiClient& api, const std::string& id, std::int64_t since, bool follow, LogSink sink) {
  for (;;) {
    const boost::json::value page = api.get_json(job_path(id) + "/logs?since=" + std::to_string(since));
    const auto& entries = page.at("entries").as_array();
    for (const auto& entry : entries) emit(entry, sink);
    if (const auto* next = page.as_object().if_contains("next_index"); next && next->is_int64())
      since = std::max(since, next->get_int64());
    const auto* done = page.as_object().if_contains("done");
    const bool finished = done && done->is_bool() && done->get_bool();
    if (!entries.empty()) continue;  // there may be more right away
    if (finished || !follow) return since;
    std::this_thread::sleep_for(kPollInterval);
  }
}

boost::json::value wait_for_job(ApiClient& api, const std::string& id, LogSink sink) {
  StatusLine line;
  const auto start = std::chrono::steady_clock::now();
  std::string status = "pending";
  std::int64_t since = 0;
  for (int idle = 0;;) {
    const boost::json::value page = api.get_json(job_path(id) + "/logs?since=" + std::to_string(since));
    const auto& entries = page.at("entries").as_array();
    if (!entries.empty()) line.clear();
    for (const auto& entry : entries) emit(entry, sink);
    if (const auto* next = page.as_object().if_contains("next_index"); next && next->is_int64())
      since = std::max(since, next->get_int64());
    if (!entries.empty()) continue;
    const auto* done = page.as_object().if_contains("done");
    if (done && done->is_bool() && done->get_bool()) break;
    if (line.enabled() && idle++ % 4 == 0) status = member_text(api.get_json(job_path(id)), "status");
    const auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start);
    line.show("job " + id + "  " + status + "  " + std::to_string(elapsed.count()) + " s");
    std::this_thread::sleep_for(kPollInterval);
  }
  line.clear();
  for (;;) {
    boost::json::value job = api.get_json(job_path(id));
    if (is_final(member_text(job, "status"))) return job;
    std::this_thread::sleep_for(kPollInterval);  // the log is done just before the status is final
  }
}

void print_job(const boost::json::value& job) {
  std::string headline = "job " + member_text(job, "job_id") + "  " + member_text(job, "status") + "  " +
                         member_text(job, "package") + " " + member_text(job, "version") + " " +
                         member_text(job, "function");
  if (const auto ms = member_text(job, "duration_ms"); !ms.empty()) headline += "  " + ms + " ms";
  if (member_text(job, "cached") == "true") headline += "  (cached)";
  std::printf("%s\n", headline.c_str());

  const auto& o = job.as_object();
  if (const auto* outputs = o.if_contains("outputs");
      outputs && outputs->is_object() && !outputs->get_object().empty()) {
    const auto* units = o.if_contains("units");
    Table table({"output", "value", "unit"});
    for (const auto& [name, value] : outputs->get_object()) {
      std::string unit;
      if (units && units->is_object()) unit = member_text(*units, name);
      table.add({std::string(name), value_text(value), unit});
    }
    table.print();
  }
  if (const auto* files = o.if_contains("output_files"); files && files->is_array() && !files->get_array().empty()) {
    Table table({"output file", "size", "url"});
    for (const auto& f : files->get_array())
      table.add({member_text(f, "name"), member_text(f, "size"), member_text(f, "url")});
    table.print();
  }
  if (const auto* error = o.if_contains("error"); error && error->is_object()) {
    std::fprintf(stderr, "%s: %s\n", member_text(*error, "type").c_str(), member_text(*error, "message").c_str());
    if (const auto traceback = member_text(*error, "traceback"); !traceback.empty())
      std::fprintf(stderr, "%s%s", traceback.c_str(), traceback.ends_with('\n') ? "" : "\n");
  }
}

void throw_unless_completed(const boost::json::value& job) {
  const std::string status = member_text(job, "status");
  if (status == "completed") return;
  std::string message = "job " + member_text(job, "job_id") + " ended " + status;
  if (const auto reason = member_text(job, "exit_reason"); !reason.empty() && reason != status && reason != "ok")
    message += " (" + reason + ")";
  throw CliError(Exit::job_failed, message);
}

}  // namespace mecapy::cli
