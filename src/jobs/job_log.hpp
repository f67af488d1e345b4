// A job's log: its stdout and stderr chunks and its progress lines, numbered from 0 in
// the order they were read, stored in the metadata store while the job runs (table
// job_logs) so that any instance can show them before the job ends.
//
// Text only: chunks are valid UTF-8 (the worker's OutputBuffer makes them so) and
// progress entries are JSON object text. append() gives the entries the next numbers
// in one transaction; two writers racing for the same job (a worker presumed dead
// that comes back) make one of them fail with Error(conflict) and store nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace mecapy::jobs {

struct LogEntry {
  std::int64_t index = 0;
  std::string kind;  // stdout | stderr | progress
  std::string text;
};

class JobLog {
 public:
  explicit JobLog(db::Database& database) : database_(database) {}

  // Stores `entries` (index ignored) after the job's last; returns the next index.
  std::int64_t append(const std::string& job_id, const std::vector<LogEntry>& entries);
  // The entries numbered from `since` on, in order, at most `limit`; with
  // `output_only`, progress entries are left out (the numbering stays the same).
  std::vector<LogEntry> read(const std::string& job_id, std::int64_t since, std::size_t limit,
                             bool output_only = false);

 private:
  db::Database& database_;
};

}  // namespace mecapy::jobs
