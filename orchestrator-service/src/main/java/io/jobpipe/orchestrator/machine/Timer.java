package io.jobpipe.orchestrator.machine;

import java.util.Objects;

/**
 * A wake-up the state machine asks for: a retry that is due, an attempt whose deadline may have passed, or a
 * finished job whose retention is over. A job waits for one timer at a time (the latest one scheduled replaces
 * the earlier); a timer that no longer matches the job's current attempt is ignored when it fires.
 *
 * @param stage   the stage the timer is about; null for {@link Kind#FORGET}
 * @param attempt the attempt the timer is about; 0 for {@link Kind#FORGET}
 */
public record Timer(String jobId, Kind kind, String stage, int attempt) {

    /** The retention timer of a finished job. */
    public static Timer forget(String jobId) {
        return new Timer(jobId, Kind.FORGET, null, 0);
    }

    public enum Kind {
        /** The backoff after a failed attempt is over: dispatch the next attempt. */
        RETRY_DUE,
        /** The in-flight attempt reached its deadline unless a heartbeat pushed it out. */
        ATTEMPT_TIMEOUT,
        /** The finished job's retention is over: its state leaves the store. */
        FORGET
    }

    public Timer {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.FORGET) {
            Objects.requireNonNull(stage, "stage");
        }
    }
}
