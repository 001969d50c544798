-- Issue 8: the dead-letter records of every stage, and the ops API's bulk operations.

-- One row per record of a jobpipe.stage.<stage>.dlq topic, as the dead-letter consumer read it.
CREATE TABLE dead_letters (
    topic            text        NOT NULL,
    partition        integer     NOT NULL,
    "offset"         bigint      NOT NULL,
    -- the record key (job-keyed topics), or null for a record a worker could not read
    job_id           text,
    stage            text        NOT NULL,
    error_class      text,
    error_message    text,
    attempts         integer,
    first_failure_at timestamptz,
    last_failure_at  timestamptz,
    trace_id         text,
    dead_lettered_by text,
    -- why it is here when not a failed stage, e.g. 'undeserializable'
    reason           text,
    -- every header, as UTF-8 text (several values of one name: the last)
    headers          jsonb       NOT NULL,
    -- the value when it is JSON (the StageRequested of the last attempt), else raw
    value            jsonb,
    raw_value        bytea,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition, "offset")
);
CREATE INDEX dead_letters_job_idx ON dead_letters (job_id);

-- GET /ops/dead-letters pages dead-lettered jobs newest first by when they died (OpsQueries.AT).
CREATE INDEX jobs_dead_lettered_idx ON jobs ((COALESCE(finished_at, updated_at)) DESC, job_id DESC)
    WHERE state = 'DEAD_LETTERED';

-- A bulk replay or cancel, updated as its commands are sent, so any replica can report on it.
CREATE TABLE ops_operations (
    id            text        PRIMARY KEY,
    kind          text        NOT NULL CHECK (kind IN ('replay', 'cancel')),
    replay_id     text,
    requested_by  text        NOT NULL,
    reason        text        NOT NULL,
    filter        text,
    matched       integer     NOT NULL CHECK (matched >= 0),
    sent          integer     NOT NULL DEFAULT 0 CHECK (sent >= 0),
    failed        integer     NOT NULL DEFAULT 0 CHECK (failed >= 0),
    state         text        NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    error         text
);
