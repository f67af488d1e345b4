#include "jobs/job_log.hpp"

#include "core/clock.hpp"

namespace mecapy::jobs {

std::int64_t JobLog::append(const std::string& job_id, const std::vector<LogEntry>& entries) {
  std::int64_t next = 0;
  database_.transaction([&](db::Connection& c) {
    const auto last = c.execute("SELECT COALESCE(MAX(seq) + 1, 0) FROM job_logs WHERE job_id = $1", {job_id});
    next = last.rows.at(0).int64(0);
    const std::string now = now_rfc3339();
    for (const auto& entry : entries) {
      c.execute("INSERT INTO job_logs (job_id, seq, kind, chunk, created_at) VALUES ($1, $2, $3, $4, $5)",
                {job_id, next, entry.kind, entry.text, now});
      ++next;
    }
  });
  return next;
}

std::vector<LogEntry> JobLog::read(const std::string& job_id, std::int64_t since, std::size_t limit, bool output_only) {
  const auto result =
      database_.execute(std::string("SELECT seq, kind, chunk FROM job_logs WHERE job_id = $1 AND seq >= $2") +
                            (output_only ? " AND kind <> 'progress'" : "") + " ORDER BY seq LIMIT $3",
                        {job_id, since, static_cast<std::int64_t>(limit)});
  std::vector<LogEntry> out;
  out.reserve(result.rows.size());
  for (const auto& row : result.rows) out.push_back({row.int64(0), row.text(1), row.text(2)});
  return out;
}

}  // namespace mecapy::jobs
