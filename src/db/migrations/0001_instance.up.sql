-- The installation itself: one row created on first start, naming this deployment.
CREATE TABLE instance (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
);
