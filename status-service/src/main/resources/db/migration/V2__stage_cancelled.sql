-- Issue 8: an operator can cancel a job; the stage that was under way then shows CANCELLED.
ALTER TABLE job_stages DROP CONSTRAINT job_stages_status_check;
ALTER TABLE job_stages ADD CONSTRAINT job_stages_status_check
    CHECK (status IN ('PENDING', 'RUNNING', 'RETRYING', 'SUCCEEDED', 'FAILED', 'DEAD_LETTERED', 'CANCELLED'));
