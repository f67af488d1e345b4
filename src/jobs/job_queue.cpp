#include "jobs/job_queue.hpp"

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "db/record_map.hpp"

namespace mecapy::jobs {
namespace {

const db::RecordMap<JobRecord>& job_map() {
  static const auto map = db::RecordMap<JobRecord>()
                              .text("id", &JobRecord::id)
                              .text("owner_id", &JobRecord::owner_id)
                              .text("package_id", &JobRecord::package_id)
                              .text("package_name", &JobRecord::package_name)
                              .text("package_version", &JobRecord::package_version)
                              .text("function_version_id", &JobRecord::function_version_id)
                              .text("function_name", &JobRecord::function_name)
                              .text("function_checksum", &JobRecord::function_checksum)
                              .text("interpreter", &JobRecord::interpreter)
                              .text("platform_version", &JobRecord::platform_version)
                              .text("inputs", &JobRecord::inputs)
                              .text("input_files", &JobRecord::input_files)
                              .text("submitted_inputs", &JobRecord::submitted_inputs)
                              .text("cache_key", &JobRecord::cache_key)
                              .int64("priority", &JobRecord::priority)
                              .int64("timeout_s", &JobRecord::timeout_s)
                              .text("status", &JobRecord::status)
                              .int64("attempts", &JobRecord::attempts)
                              .int64("max_attempts", &JobRecord::max_attempts)
                              .text("worker_id", &JobRecord::worker_id)
                              .text("lease_token", &JobRecord::lease_token)
                              .text("lease_expires_at", &JobRecord::lease_expires_at)
                              .int64("cancel_requested", &JobRecord::cancel_requested)
                              .text("outputs", &JobRecord::outputs)
                              .text("output_files", &JobRecord::output_files)
                              .text("error", &JobRecord::error)
                              .text("exit_reason", &JobRecord::exit_reason)
                              .text("cached_from", &JobRecord::cached_from)
                              .number("duration_ms", &JobRecord::duration_ms)
                              .number("cpu_ms", &JobRecord::cpu_ms)
                              .number("memory_peak_mb", &JobRecord::memory_peak_mb)
                              .text("created_at", &JobRecord::created_at)
                              .text("started_at", &JobRecord::started_at)
                              .text("finished_at", &JobRecord::finished_at);
  return map;
}

std::optional<JobRecord> first(const db::Result& result) {
  if (result.rows.empty()) return std::nullopt;
  return job_map().read(result, result.rows.front());
}

std::string later(std::chrono::milliseconds by) { return format_rfc3339(std::chrono::system_clock::now() + by); }

}  // namespace

std::string_view to_string(JobStatus status) {
  switch (status) {
    case JobStatus::pending:
      return "pending";
    case JobStatus::running:
      return "running";
    case JobStatus::completed:
      return "completed";
    case JobStatus::failed:
      return "failed";
    case JobStatus::timeout:
      return "timeout";
    case JobStatus::cancelled:
      return "cancelled";
  }
  return "pending";
}

JobStatus parse_status(std::string_view text) {
  for (auto s : {JobStatus::pending, JobStatus::running, JobStatus::completed, JobStatus::failed, JobStatus::timeout,
                 JobStatus::cancelled}) {
    if (to_string(s) == text) return s;
  }
  throw Error(ErrorKind::corrupted, "job-corrupted", "A stored job has an unknown status.", std::string(text));
}

bool is_final(JobStatus status) { return status != JobStatus::pending && status != JobStatus::running; }

JobQueue::JobQueue(db::Database& db, QueueOptions options) : db_(db), options_(options) {}

JobRecord JobQueue::enqueue(JobRecord job) {
  job.id = job.id.empty() ? new_uuid() : job.id;
  job.status = "pending";
  job.attempts = 0;
  job.created_at = now_rfc3339();
  db_.execute("INSERT INTO jobs (" + job_map().columns() + ") VALUES (" + job_map().placeholders() + ")",
              job_map().values(job));
  return job;
}

JobRecord JobQueue::record_final(JobRecord job) {
  job.id = job.id.empty() ? new_uuid() : job.id;
  job.created_at = now_rfc3339();
  if (job.started_at.empty()) job.started_at = job.created_at;
  if (job.finished_at.empty()) job.finished_at = job.created_at;
  db_.execute("INSERT INTO jobs (" + job_map().columns() + ") VALUES (" + job_map().placeholders() + ")",
              job_map().values(job));
  return job;
}

std::optional<Claim> JobQueue::claim(const std::string& worker_id) {
  const std::string now = now_rfc3339();
  const std::string token = random_hex(16);
  const bool postgres = db_.dialect() == db::Dialect::postgres;
  // The candidate: the best pending job whose owner is under the running limit.
  const std::string candidate =
      "SELECT j.id FROM jobs j WHERE j.status = 'pending' AND j.cancel_requested = 0"
      " AND (SELECT COUNT(*) FROM jobs r WHERE r.owner_id = j.owner_id AND r.status = 'running') < $5"
      " ORDER BY j.priority DESC, j.created_at, j.id LIMIT 1" +
      std::string(postgres ? " FOR UPDATE SKIP LOCKED" : "");
  const auto result = db_.execute(
      "UPDATE jobs SET status = 'running', worker_id = $1, lease_token = $2, lease_expires_at = $3,"
      " started_at = $4, attempts = attempts + 1 WHERE id = (" +
          candidate + ") AND status = 'pending' RETURNING " + job_map().columns(),
      {worker_id, token, later(options_.lease), now, options_.max_running_per_owner});
  auto job = first(result);
  if (!job) return std::nullopt;
  return Claim{std::move(*job)};
}

bool JobQueue::renew(Claim& claim) {
  const std::string expires = later(options_.lease);
  const auto result =
      db_.execute("UPDATE jobs SET lease_expires_at = $1 WHERE id = $2 AND status = 'running' AND lease_token = $3",
                  {expires, claim.job.id, claim.job.lease_token});
  if (result.affected_rows != 1) return false;
  claim.job.lease_expires_at = expires;
  return true;
}

std::optional<JobRecord> JobQueue::finish(const Claim& claim, const JobRecord& r) {
  if (!is_final(parse_status(r.status)))
    throw Error(ErrorKind::internal, "job-not-final", "finish() needs a final status", r.status);
  const auto result = db_.execute(
      "UPDATE jobs SET status = $1, outputs = $2, output_files = $3, error = $4, exit_reason = $5,"
      " duration_ms = $6, cpu_ms = $7, memory_peak_mb = $8, finished_at = $9, lease_expires_at = ''"
      " WHERE id = $10 AND status = 'running' AND lease_token = $11 RETURNING " +
          job_map().columns(),
      {r.status, r.outputs, r.output_files, r.error, r.exit_reason, r.duration_ms, r.cpu_ms, r.memory_peak_mb,
       now_rfc3339(), claim.job.id, claim.job.lease_token});
  return first(result);
}

bool JobQueue::release(const Claim& claim) {
  const auto result = db_.execute(
      "UPDATE jobs SET status = 'pending', worker_id = '', lease_token = '', lease_expires_at = '', started_at = '',"
      " attempts = attempts - 1 WHERE id = $1 AND status = 'running' AND lease_token = $2",
      {claim.job.id, claim.job.lease_token});
  return result.affected_rows == 1;
}

std::size_t JobQueue::recover_expired() {
  const std::string now = now_rfc3339();
  std::size_t changed = 0;
  db_.transaction([&](db::Connection& c) {
    changed += static_cast<std::size_t>(
        c.execute("UPDATE jobs SET status = 'failed', exit_reason = 'worker_lost', finished_at = $1,"
                  " lease_token = '', lease_expires_at = '', error = $2"
                  " WHERE status = 'running' AND lease_expires_at < $1 AND attempts >= max_attempts",
                  {now, std::string(R"({"type":"WorkerLost","message":"the worker running this job stopped )"
                                    R"(answering, and every attempt was used","traceback":""})")})
            .affected_rows);
    changed += static_cast<std::size_t>(
        c.execute("UPDATE jobs SET status = 'pending', worker_id = '', lease_token = '', lease_expires_at = ''"
                  " WHERE status = 'running' AND lease_expires_at < $1 AND attempts < max_attempts",
                  {now})
            .affected_rows);
  });
  return changed;
}

std::optional<JobRecord> JobQueue::cancel(const std::string& owner, const std::string& id) {
  db_.execute(
      "UPDATE jobs SET status = 'cancelled', exit_reason = 'cancelled', finished_at = $1, cancel_requested = 1"
      " WHERE id = $2 AND owner_id = $3 AND status = 'pending'",
      {now_rfc3339(), id, owner});
  db_.execute("UPDATE jobs SET cancel_requested = 1 WHERE id = $1 AND owner_id = $2 AND status = 'running'",
              {id, owner});
  return find(owner, id);
}

bool JobQueue::cancel_requested(const std::string& id) {
  const auto result = db_.execute("SELECT cancel_requested FROM jobs WHERE id = $1", {id});
  return !result.rows.empty() && result.rows.front().int64(0) != 0;
}

std::optional<JobRecord> JobQueue::find(const std::string& owner, const std::string& id) {
  return first(
      db_.execute("SELECT " + job_map().columns() + " FROM jobs WHERE id = $1 AND owner_id = $2", {id, owner}));
}

std::optional<JobRecord> JobQueue::find_any(const std::string& id) {
  return first(db_.execute("SELECT " + job_map().columns() + " FROM jobs WHERE id = $1", {id}));
}

JobPage JobQueue::list(const std::string& owner, const JobQuery& q) {
  if (q.page < 1 || q.per_page < 1 || q.per_page > 100)
    throw Error(ErrorKind::invalid_input, "invalid-query", "page must be at least 1 and per_page between 1 and 100.");
  std::vector<db::Value> params{owner};
  std::string where = " FROM jobs WHERE owner_id = $1";
  auto add = [&](const char* condition, const std::string& value) {
    if (value.empty()) return;
    params.push_back(value);
    std::string c = condition;
    for (std::size_t at; (at = c.find('?')) != std::string::npos;)
      c.replace(at, 1, "$" + std::to_string(params.size()));
    where += " AND " + c;
  };
  add("status = ?", q.status);
  add("(package_id = ? OR package_name = ?)", q.package);
  add("function_name = ?", q.function);
  add("created_at >= ?", q.created_after);
  add("created_at < ?", q.created_before);
  JobPage page;
  page.total = db_.execute("SELECT COUNT(*)" + where, params).rows.at(0).int64(0);
  page.items = job_map().read_all(db_.execute("SELECT " + job_map().columns() + where +
                                                  " ORDER BY created_at DESC, id LIMIT " + std::to_string(q.per_page) +
                                                  " OFFSET " + std::to_string((q.page - 1) * q.per_page),
                                              params));
  return page;
}

std::optional<JobRecord> JobQueue::cached_result(const std::string& cache_key) {
  return first(db_.execute("SELECT " + job_map().columns() +
                               " FROM jobs WHERE cache_key = $1 AND status = 'completed' AND cached_from = ''"
                               " ORDER BY finished_at DESC LIMIT 1",
                           {cache_key}));
}

}  // namespace mecapy::jobs
