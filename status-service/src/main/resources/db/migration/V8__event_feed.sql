-- Issue 10: the firehose (GET /events). Every projected event gets a position in commit order: the projection
-- appends its batch's new events here under a transaction-scoped advisory lock taken just before its commit, so
-- positions become visible in increasing order and a client resuming after position p misses nothing.
CREATE TABLE event_feed (
    position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id   text   NOT NULL,
    seq      bigint NOT NULL,
    CONSTRAINT event_feed_event_fk FOREIGN KEY (job_id, seq) REFERENCES job_events (job_id, seq) ON DELETE CASCADE
);
-- The cascade from job_events (retention) finds a job's feed rows by this index.
CREATE INDEX event_feed_event_idx ON event_feed (job_id, seq);

INSERT INTO event_feed (job_id, seq) SELECT job_id, seq FROM job_events ORDER BY occurred_at, job_id, seq;
