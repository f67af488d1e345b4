ALTER TABLE packages DROP COLUMN owner_kind;
