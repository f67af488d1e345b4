// The job queue, in the metadata store: no broker beside the database.
//
// A job is claimed by one worker at a time with a lease: claim() moves the best
// pending job (highest priority, then oldest; creation times are kept to the
// millisecond, and jobs created in the same millisecond go in id order, which is
// arbitrary) to running, gives it a fresh lease token and an expiry, and counts an attempt. On PostgreSQL the claim is
// one UPDATE over `SELECT ... FOR UPDATE SKIP LOCKED`, so concurrent workers never wait for each other nor take the
// same job; on SQLite the database's single writer gives the same guarantee in one process.
//
// Exactly once: renew() and finish() act only while the job is running under the
// caller's lease token. A worker presumed dead (its lease expired, the job recovered
// and claimed again) that comes back can neither renew nor finish: its result is
// dropped, and the job completes once, by whoever holds the lease.
//
// recover_expired() puts jobs whose lease expired back to pending while attempts
// remain, and fails them with exit reason worker_lost after max_attempts.
//
// Per-owner limit: a job is not claimed while its owner has max_running_per_owner
// jobs running; it waits, never fails. The count is read in the claiming statement,
// so workers claiming at the very same moment may exceed it by one each.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "jobs/job.hpp"

namespace mecapy::jobs {

struct QueueOptions {
  std::chrono::milliseconds lease{30'000};
  std::int64_t max_running_per_owner = 8;
};

struct Claim {
  JobRecord job;  // as claimed: status running, the lease's token and expiry
};

struct JobQuery {
  int page = 1;
  int per_page = 20;           // 1..100
  std::string status;          // only this status
  std::string package;         // package id or name
  std::string function;        // function name
  std::string created_after;   // RFC 3339, inclusive
  std::string created_before;  // RFC 3339, exclusive
};

struct JobPage {
  std::vector<JobRecord> items;
  std::int64_t total = 0;
};

class JobQueue {
 public:
  JobQueue(db::Database& db, QueueOptions options = {});

  // Stores `job` as pending (id, status, attempts, created_at are set here).
  JobRecord enqueue(JobRecord job);
  // Stores a job that is final already (a result reused from the cache).
  JobRecord record_final(JobRecord job);

  // The best pending job, now running for `worker_id`; nullopt when none may run.
  std::optional<Claim> claim(const std::string& worker_id);
  // Extends the lease; false when the lease is no longer the caller's.
  bool renew(Claim& claim);
  // Records the result (status, outputs, error, figures in `result`) once and returns
  // the job as recorded; nullopt when the lease is no longer the caller's (nothing is
  // written then).
  std::optional<JobRecord> finish(const Claim& claim, const JobRecord& result);
  // Hands a running job back (a worker stopping): pending again, the attempt not
  // counted. False when the lease is no longer the caller's.
  bool release(const Claim& claim);
  // Re-queues or fails the running jobs whose lease expired; returns how many.
  std::size_t recover_expired();

  // Cancels `owner`'s job: a pending one is cancelled at once; a running one is
  // marked cancel_requested for its worker. Returns the job, or nullopt when the
  // owner has no such job. A final job is returned unchanged.
  std::optional<JobRecord> cancel(const std::string& owner, const std::string& id);
  bool cancel_requested(const std::string& id);

  std::optional<JobRecord> find(const std::string& owner, const std::string& id);
  std::optional<JobRecord> find_any(const std::string& id);
  JobPage list(const std::string& owner, const JobQuery& query);
  // The most recent completed job with this cache key, if any.
  std::optional<JobRecord> cached_result(const std::string& cache_key);

  const QueueOptions& options() const { return options_; }

 private:
  db::Database& db_;
  QueueOptions options_;
};

}  // namespace mecapy::jobs
