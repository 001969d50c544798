package io.jobpipe.core.event;

/** The lifecycle of a job as ARCHITECTURE.md defines it. */
public enum JobStatus {
    ACCEPTED, RUNNING, COMPLETED, FAILED, DEAD_LETTERED, CANCELLED;

    public boolean terminal() {
        return this != ACCEPTED && this != RUNNING;
    }
}
