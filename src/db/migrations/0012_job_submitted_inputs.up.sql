-- The inputs of a job exactly as its caller sent them (a value with another unit than
-- the declared one, e.g. {"value": 1, "unit": "cm"}), beside the canonical `inputs`
-- they were converted to: a calculation report shows both.
ALTER TABLE jobs ADD COLUMN submitted_inputs TEXT NOT NULL DEFAULT '{}';
