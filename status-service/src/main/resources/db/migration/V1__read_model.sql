-- The status read model: projected from jobpipe.job.events, rebuilt by replaying that topic from the start.

CREATE TABLE jobs (
    job_id          text        PRIMARY KEY,
    connection      text,
    event_type      text,
    delivery_id     text,
    request_id      text,
    pipeline        text,
    state           text        NOT NULL
        CHECK (state IN ('ACCEPTED', 'RUNNING', 'COMPLETED', 'FAILED', 'DEAD_LETTERED', 'CANCELLED')),
    current_stage   text,
    current_attempt integer,
    -- seq of the last event applied: the projection ignores events at or below it
    last_seq        bigint      NOT NULL CHECK (last_seq >= 0),
    trace_id        text,
    error           text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    finished_at     timestamptz
);

-- GET /jobs pages newest first with the keyset (created_at, job_id).
CREATE INDEX jobs_created_idx ON jobs (created_at DESC, job_id DESC);
-- Stats and ops views filter by state (in flight, dead-lettered) and sort by recency.
CREATE INDEX jobs_state_updated_idx ON jobs (state, updated_at DESC);
-- Find the job of a webhook delivery (support questions quote the sender's delivery id).
CREATE INDEX jobs_delivery_idx ON jobs (connection, delivery_id) WHERE delivery_id IS NOT NULL;
CREATE INDEX jobs_trace_idx ON jobs (trace_id) WHERE trace_id IS NOT NULL;

CREATE TABLE job_stages (
    job_id      text        NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
    stage       text        NOT NULL,
    -- 0-based index in the pipeline
    position    integer     NOT NULL CHECK (position >= 0),
    status      text        NOT NULL
        CHECK (status IN ('PENDING', 'RUNNING', 'RETRYING', 'SUCCEEDED', 'FAILED', 'DEAD_LETTERED')),
    attempts    integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    started_at  timestamptz,
    ended_at    timestamptz,
    duration_ms bigint,
    summary     text,
    output      jsonb,
    error       text,
    PRIMARY KEY (job_id, stage)
);

-- Stage statistics (how many attempts are running or waiting to retry per stage).
CREATE INDEX job_stages_active_idx ON job_stages (stage, status) WHERE status IN ('RUNNING', 'RETRYING');

CREATE TABLE job_events (
    job_id      text        NOT NULL,
    seq         bigint      NOT NULL CHECK (seq >= 1),
    event_id    text        NOT NULL,
    type        text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    -- the event exactly as the orchestrator wrote it; SSE sends it as the data of each message
    body        jsonb       NOT NULL,
    PRIMARY KEY (job_id, seq),
    -- An event row is inserted before its job row in the same transaction, so the check waits for the commit.
    CONSTRAINT job_events_job_fk FOREIGN KEY (job_id) REFERENCES jobs (job_id)
        ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);
