-- Issue 9: the log tail of a stage's latest finished attempt (a command agent's stderr, at most 16 KiB) and which
-- attempt it was. Rows written before stay NULL: their events carried no log.
ALTER TABLE job_stages ADD COLUMN log text;
ALTER TABLE job_stages ADD COLUMN log_attempt integer CHECK (log_attempt >= 1);
