CREATE INDEX jobs_pending ON jobs (status, priority, created_at);
DROP INDEX jobs_owner_status;
DROP INDEX jobs_claim;
