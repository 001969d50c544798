-- When a bulk operation last reported progress: a running one that has not for a while lost its replica.
ALTER TABLE ops_operations ADD COLUMN updated_at timestamptz;
UPDATE ops_operations SET updated_at = COALESCE(finished_at, started_at);
ALTER TABLE ops_operations ALTER COLUMN updated_at SET NOT NULL;
ALTER TABLE ops_operations ALTER COLUMN updated_at SET DEFAULT now();
