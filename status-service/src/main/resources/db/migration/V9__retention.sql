-- Issue 10: finished jobs are deleted after the retention, oldest first, in small batches (RetentionSweeper).
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE finished_at IS NOT NULL;
