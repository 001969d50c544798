package io.jobpipe.orchestrator.machine;

import java.util.Objects;

/**
 * A wake-up the state machine asks for: a retry that is due, or an attempt whose deadline may have passed.
 * Timers are never cancelled; one that no longer matches the job's current attempt is ignored when it fires.
 */
public record Timer(String jobId, Kind kind, String stage, int attempt) {

    public enum Kind {
        /** The backoff after a failed attempt is over: dispatch the next attempt. */
        RETRY_DUE,
        /** The in-flight attempt reached its deadline unless a heartbeat pushed it out. */
        ATTEMPT_TIMEOUT
    }

    public Timer {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(stage, "stage");
    }
}
