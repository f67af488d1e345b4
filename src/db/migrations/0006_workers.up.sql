-- Workers, as they announce themselves: every worker process upserts its row on each
-- heartbeat; GET /api/v1/workers lists them with how long ago they were last heard.
CREATE TABLE workers (
  id TEXT PRIMARY KEY,
  host TEXT NOT NULL,
  pid BIGINT NOT NULL,
  kind TEXT NOT NULL,
  slots BIGINT NOT NULL,
  running BIGINT NOT NULL,
  version TEXT NOT NULL,
  started_at TEXT NOT NULL,
  last_heartbeat TEXT NOT NULL
);
