-- What a running job writes, as it comes: stdout and stderr chunks and progress lines
-- (JSON text), numbered from 0 per job in the order they were read. Written by the
-- worker holding the job's lease; read by GET /jobs/{id}/logs and the events stream.
CREATE TABLE job_logs (
  job_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  kind TEXT NOT NULL,
  chunk TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (job_id, seq)
);
