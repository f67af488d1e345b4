-- What each owner stores, one row per owner, changed in the same transaction as the
-- files themselves with an atomic conditional UPDATE: several API instances on one
-- database then enforce one quota (a SUM over files, read then compared, would let
-- two concurrent uploads both pass).
CREATE TABLE storage_usage (
  owner_id TEXT PRIMARY KEY,
  used_bytes BIGINT NOT NULL CHECK (used_bytes >= 0)
);

INSERT INTO storage_usage (owner_id, used_bytes)
SELECT owner_id, SUM(size) FROM files GROUP BY owner_id;
