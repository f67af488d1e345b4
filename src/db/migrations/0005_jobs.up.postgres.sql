-- Jobs: one execution of a function version each, the queue's rows and the
-- calculation history at once. JSON members are text from the exact serializer.
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL,
  package_id TEXT NOT NULL,
  package_name TEXT NOT NULL,
  package_version TEXT NOT NULL,
  function_version_id TEXT NOT NULL,
  function_name TEXT NOT NULL,
  function_checksum TEXT NOT NULL,
  interpreter TEXT NOT NULL,
  platform_version TEXT NOT NULL,
  inputs TEXT NOT NULL,
  input_files TEXT NOT NULL,
  cache_key TEXT NOT NULL,
  priority BIGINT NOT NULL,
  timeout_s BIGINT NOT NULL,
  status TEXT NOT NULL,
  attempts BIGINT NOT NULL,
  max_attempts BIGINT NOT NULL,
  worker_id TEXT NOT NULL,
  lease_token TEXT NOT NULL,
  lease_expires_at TEXT NOT NULL,
  cancel_requested BIGINT NOT NULL,
  outputs TEXT NOT NULL,
  output_files TEXT NOT NULL,
  error TEXT NOT NULL,
  exit_reason TEXT NOT NULL,
  cached_from TEXT NOT NULL,
  duration_ms DOUBLE PRECISION NOT NULL,
  cpu_ms DOUBLE PRECISION NOT NULL,
  memory_peak_mb DOUBLE PRECISION NOT NULL,
  created_at TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL
);

-- The queue's claim: the best pending job; the cache: a completed job of the same key;
-- a caller's history, newest first; the leases to recover.
CREATE INDEX jobs_pending ON jobs (status, priority, created_at);
CREATE INDEX jobs_cache ON jobs (cache_key, status);
CREATE INDEX jobs_owner ON jobs (owner_id, created_at);
CREATE INDEX jobs_lease ON jobs (status, lease_expires_at);
