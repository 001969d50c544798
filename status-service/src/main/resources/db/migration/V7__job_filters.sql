-- Issue 10: GET /jobs filters on error class and searches the subject.
-- error_class: the error type of the failure or dead letter a job rests in ('Cancelled' when cancelled).
-- subject: the text subject of the job's first stage output that has one (the normalize stage's).
ALTER TABLE jobs ADD COLUMN error_class text;
ALTER TABLE jobs ADD COLUMN subject text;

UPDATE jobs j SET error_class = (SELECT e.body ->> 'errorType' FROM job_events e
                                 WHERE e.job_id = j.job_id AND e.type IN ('JobFailed', 'JobDeadLettered')
                                 ORDER BY e.seq DESC LIMIT 1)
WHERE j.state IN ('FAILED', 'DEAD_LETTERED');
UPDATE jobs SET error_class = 'Cancelled' WHERE state = 'CANCELLED';
UPDATE jobs j SET subject = (SELECT s.output ->> 'subject' FROM job_stages s
                             WHERE s.job_id = j.job_id AND jsonb_typeof(s.output -> 'subject') = 'string'
                             ORDER BY s.position, s.stage LIMIT 1);

-- Each filter of GET /jobs walks its own index newest first, so a page stops after `limit` matches.
CREATE INDEX jobs_pipeline_created_idx ON jobs (pipeline, created_at DESC, job_id DESC);
CREATE INDEX jobs_connection_created_idx ON jobs (connection, created_at DESC, job_id DESC);
CREATE INDEX jobs_state_created_idx ON jobs (state, created_at DESC, job_id DESC);
CREATE INDEX jobs_error_class_idx ON jobs (error_class, created_at DESC) WHERE error_class IS NOT NULL;
-- Word and word-prefix search ('simple': no stemming or stop words, so any language's subject is searchable).
CREATE INDEX jobs_subject_search_idx ON jobs USING gin (to_tsvector('simple', coalesce(subject, '')));
