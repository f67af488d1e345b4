-- Packages, their immutable versions and the function versions they hold. Every
-- table has an owner column, which the identity work enforces. JSON documents (io
-- specs, schemas, reports) are stored as text written by the server's exact
-- serializer, so numbers in them come back bit-identical.
CREATE TABLE packages (
  id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  visibility TEXT NOT NULL,
  tags TEXT NOT NULL,
  archived BIGINT NOT NULL DEFAULT 0,
  latest_version TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (owner_id, name)
);

CREATE TABLE package_versions (
  id TEXT PRIMARY KEY,
  package_id TEXT NOT NULL REFERENCES packages (id),
  owner_id TEXT NOT NULL,
  version TEXT NOT NULL,
  manifest TEXT NOT NULL,
  source_blob_key TEXT NOT NULL REFERENCES blobs (blob_key),
  source_sha256 TEXT NOT NULL,
  archive_sha256 TEXT NOT NULL,
  archive_size BIGINT NOT NULL,
  runtime TEXT NOT NULL,
  report TEXT NOT NULL,
  yanked BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  UNIQUE (package_id, version)
);

CREATE TABLE function_versions (
  id TEXT PRIMARY KEY,
  package_version_id TEXT NOT NULL REFERENCES package_versions (id),
  package_id TEXT NOT NULL REFERENCES packages (id),
  owner_id TEXT NOT NULL,
  name TEXT NOT NULL,
  checksum TEXT NOT NULL,
  spec TEXT NOT NULL,
  test_results TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (package_version_id, name)
);

CREATE INDEX packages_owner ON packages (owner_id, name);
CREATE INDEX package_versions_package ON package_versions (package_id, created_at);
CREATE INDEX function_versions_package ON function_versions (package_id, name);
