-- The claim walks pending jobs in its own order (priority DESC, created_at, id) and
-- stops at the first whose owner is under the running limit: this index gives that
-- order, so a long queue is neither sorted nor scanned whole; the owner's count of
-- running jobs is one look-up in the second index instead of a scan of their history.
CREATE INDEX jobs_claim ON jobs (status, priority DESC, created_at, id);
CREATE INDEX jobs_owner_status ON jobs (owner_id, status);
DROP INDEX jobs_pending;
