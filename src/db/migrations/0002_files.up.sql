-- Uploaded files and the blobs holding their content. A blob is shared by every file
-- with the same content in a content-addressed store; refcount counts the files
-- (and later package versions and job outputs) that use it.
CREATE TABLE blobs (
  blob_key TEXT PRIMARY KEY,
  sha256 TEXT NOT NULL,
  size BIGINT NOT NULL,
  refcount BIGINT NOT NULL CHECK (refcount >= 0),
  created_at TEXT NOT NULL
);

CREATE TABLE files (
  id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL,
  filename TEXT NOT NULL,
  original_filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  blob_key TEXT NOT NULL REFERENCES blobs (blob_key),
  created_at TEXT NOT NULL
);

CREATE INDEX files_owner_created ON files (owner_id, created_at);
