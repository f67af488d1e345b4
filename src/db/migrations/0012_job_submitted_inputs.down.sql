ALTER TABLE jobs DROP COLUMN submitted_inputs;
