// A job: one execution of a function version with canonical inputs, and everything
// needed to reproduce it (provenance). Plain data, stored in table `jobs` by the
// queue (job_queue.hpp); JSON members are text written by the exact serializer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mecapy::jobs {

// pending -> running -> completed | failed | timeout | cancelled
enum class JobStatus { pending, running, completed, failed, timeout, cancelled };
std::string_view to_string(JobStatus status);
// nullopt-free: an unknown text is a corrupted row (throws Error(corrupted)).
JobStatus parse_status(std::string_view text);
bool is_final(JobStatus status);

struct JobRecord {
  std::string id;
  std::string owner_id;
  // What runs (provenance).
  std::string package_id;
  std::string package_name;
  std::string package_version;
  std::string function_version_id;
  std::string function_name;
  std::string function_checksum;
  std::string interpreter;       // exact Python version the function was introspected with
  std::string platform_version;  // mecapyd's version that queued the job
  // Inputs: canonical JSON object text, and [{var, file_id, sha256, size, blob_key, filename}].
  std::string inputs = "{}";
  std::string input_files = "[]";
  // The inputs exactly as the caller sent them (values in other units as {value, unit}),
  // before conversion: JSON object text.
  std::string submitted_inputs = "{}";
  std::string cache_key;      // SHA-256 of checksum + canonical inputs + input file hashes
  std::int64_t priority = 0;  // higher first
  std::int64_t timeout_s = 0;
  // State.
  std::string status = "pending";
  std::int64_t attempts = 0;
  std::int64_t max_attempts = 3;
  std::string worker_id;
  std::string lease_token;       // the current claim's; completion must present it
  std::string lease_expires_at;  // RFC 3339
  std::int64_t cancel_requested = 0;
  // Results.
  std::string outputs = "{}";       // JSON object text
  std::string output_files = "[]";  // [{name, blob_key, size, sha256}]
  std::string error;                // JSON {type, message, traceback} text, or empty
  std::string exit_reason;          // the sandbox's reason (ok, timeout, memory_limit, ...), or worker_lost
  std::string cached_from;          // the job whose result this one reused, or empty
  double duration_ms = 0;
  double cpu_ms = 0;
  double memory_peak_mb = 0;
  std::string created_at;
  std::string started_at;
  std::string finished_at;
};

}  // namespace mecapy::jobs
