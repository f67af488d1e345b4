DROP INDEX jobs_lease;
DROP INDEX jobs_owner;
DROP INDEX jobs_cache;
DROP INDEX jobs_pending;
DROP TABLE jobs;
