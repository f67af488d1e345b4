-- Packages belong to a user or to an organisation (both named by a handle in
-- owner_id); `internal` visibility means every signed-in user for the first, the
-- organisation's members for the second.
ALTER TABLE packages ADD COLUMN owner_kind TEXT NOT NULL DEFAULT 'user';
