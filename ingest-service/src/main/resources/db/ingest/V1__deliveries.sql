-- Ingest's memory of deliveries (deduplication). One row per keyed job id; pruned after
-- jobpipe.ingest.dedup.retention. The raw delivery id is not stored: the job id is derived from it.
CREATE TABLE ingest.deliveries (
    job_id          text        PRIMARY KEY,
    connection      text        NOT NULL,
    first_seen_at   timestamptz NOT NULL DEFAULT now(),
    -- set once Kafka acknowledged the JobRequested (acks=all); null while a first produce is pending or failed,
    -- so the sender's retry produces again instead of being called a duplicate of a job that never reached Kafka
    acknowledged_at timestamptz,
    seen_count      integer     NOT NULL DEFAULT 1
);

CREATE INDEX deliveries_first_seen_at ON ingest.deliveries (first_seen_at);
