-- Circuit breakers: a job whose next attempt waits for its stage's breaker is HELD, and so is that stage.
ALTER TABLE jobs DROP CONSTRAINT jobs_state_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_state_check
    CHECK (state IN ('ACCEPTED', 'RUNNING', 'HELD', 'COMPLETED', 'FAILED', 'DEAD_LETTERED', 'CANCELLED'));
ALTER TABLE job_stages DROP CONSTRAINT job_stages_status_check;
ALTER TABLE job_stages ADD CONSTRAINT job_stages_status_check
    CHECK (status IN ('PENDING', 'RUNNING', 'RETRYING', 'HELD', 'SUCCEEDED', 'FAILED', 'DEAD_LETTERED', 'CANCELLED'));

-- GET /ops/breakers counts the jobs held at each pipeline's stage (a held job's current_stage is where it waits).
CREATE INDEX jobs_held_idx ON jobs (pipeline, current_stage) WHERE state = 'HELD';
