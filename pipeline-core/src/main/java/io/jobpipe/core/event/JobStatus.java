package io.jobpipe.core.event;

/** The lifecycle of a job as ARCHITECTURE.md defines it. */
public enum JobStatus {
    ACCEPTED, RUNNING,
    /** Waiting, with no attempt spent, for its stage's circuit breaker to let it through. */
    HELD,
    COMPLETED, FAILED, DEAD_LETTERED, CANCELLED;

    public boolean terminal() {
        return this != ACCEPTED && this != RUNNING && this != HELD;
    }

    /** {@link #terminal()} for a state name as the status API returns it; false for null or an unknown name. */
    public static boolean isTerminalName(String state) {
        for (JobStatus status : values()) {
            if (status.name().equals(state)) {
                return status.terminal();
            }
        }
        return false;
    }
}
