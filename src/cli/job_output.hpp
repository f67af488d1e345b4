// Following and printing jobs, for `mecapy run` and `mecapy jobs` (docs/jobs.md).
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>

#include "cli/api_client.hpp"

namespace mecapy::cli {

// completed, failed, timeout, cancelled.
bool is_final(const std::string& status);

// Where a job's log chunks go while it is followed.
enum class LogSink {
  none,         // not printed
  own_streams,  // stdout chunks on stdout, stderr chunks on stderr
  stderr_only,  // everything on stderr (stdout stays for the result)
  json_lines,   // one JSON entry a line on stdout
};

// Prints the log entries of job `id` from `since` on (GET /jobs/{id}/logs) until the
// server says it is done (`follow`), or until no entry is left (otherwise); returns
// the next index. Following polls a few times a second.
std::int64_t print_logs(ApiClient& api, const std::string& id, std::int64_t since, bool follow, LogSink sink);

// Waits until job `id` is final, printing its log as it comes, and returns the job.
// When stderr is a terminal, a status line under the log says the job's status and
// how long it has been waited for.
boost::json::value wait_for_job(ApiClient& api, const std::string& id, LogSink sink);

// The job for people: its id, status and function, then its outputs as a table (name,
// value, unit; numbers exact), its output files, and its error with the traceback.
void print_job(const boost::json::value& job);

// CliError(job_failed) for a job that ended otherwise than completed; nothing else.
void throw_unless_completed(const boost::json::value& job);

}  // namespace mecapy::cli
