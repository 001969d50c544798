-- Issue 10, the projection's third pass: fewer rows, index entries and trigger runs per projected event. Measured
-- on the projection bench (docs/BENCHMARKS.md) before each change; see DECISIONS, "The read model's writes per event".

-- 1. The firehose's position is a column of job_events, given as the event is inserted, where it was a row of its
--    own in event_feed (one more row, index entry and foreign-key check per event). The projection takes the feed's
--    advisory lock before it inserts a batch's events and holds it until its commit, so positions still become
--    visible in increasing order. Existing positions are kept: a client resuming with Last-Event-ID misses nothing.
--    The upgrade writes every row of job_events once (its new column): on a large read model, plan for it.
ALTER TABLE job_events ADD COLUMN feed_position bigint;
UPDATE job_events e SET feed_position = f.position FROM event_feed f WHERE f.job_id = e.job_id AND f.seq = e.seq;
-- Every event had a feed row since V8; any that did not go after the last position, oldest first.
WITH top AS (SELECT coalesce(max(position), 0) AS position FROM event_feed),
     missing AS (SELECT job_id, seq, row_number() OVER (ORDER BY occurred_at, job_id, seq) AS n
                 FROM job_events WHERE feed_position IS NULL)
UPDATE job_events e SET feed_position = top.position + missing.n
FROM top, missing WHERE e.job_id = missing.job_id AND e.seq = missing.seq;
ALTER TABLE job_events ALTER COLUMN feed_position SET NOT NULL;
ALTER TABLE job_events ALTER COLUMN feed_position ADD GENERATED ALWAYS AS IDENTITY;
SELECT setval(pg_get_serial_sequence('job_events', 'feed_position'),
              (SELECT coalesce(max(feed_position), 0) + 1 FROM job_events), false);
CREATE UNIQUE INDEX job_events_feed_idx ON job_events (feed_position);
DROP TABLE event_feed;

-- 2. No foreign keys from a job's stages and events to its row. The projection is their one writer and writes a
--    job's rows together in one transaction; the keys cost a lookup per inserted stage and event (the events' at
--    each commit). Retention deletes a job's stages and events itself (Retention.DELETE_BATCH).
ALTER TABLE job_events DROP CONSTRAINT job_events_job_fk;
ALTER TABLE job_stages DROP CONSTRAINT job_stages_job_id_fkey;

-- 3. Heap-only updates. Most updates of a job change only its current stage, attempt, last seq and update time, and
--    most of a stage's change only its status, attempts and times. With none of those columns in any index (key,
--    expression or predicate) and room left on each page, PostgreSQL writes the new row version beside the old one
--    and touches no index. Two indexes are read by no query (stats and listings use the created_at indexes):
DROP INDEX jobs_state_updated_idx;
DROP INDEX job_stages_active_idx;
--    A dead-lettered job always has its finished_at (JobProjectionRules), so its index needs no updated_at
--    (OpsQueries orders dead letters by finished_at).
DROP INDEX jobs_dead_lettered_idx;
CREATE INDEX jobs_dead_lettered_idx ON jobs (finished_at DESC, job_id DESC) WHERE state = 'DEAD_LETTERED';
--    Held jobs are few; their breakers are counted from the rows, found by state and pipeline alone.
DROP INDEX jobs_held_idx;
CREATE INDEX jobs_held_idx ON jobs (pipeline) WHERE state = 'HELD';
ALTER TABLE jobs SET (fillfactor = 50);
ALTER TABLE job_stages SET (fillfactor = 50);
