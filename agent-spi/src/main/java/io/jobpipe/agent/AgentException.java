package io.jobpipe.agent;

/**
 * Thrown by agent code that knows what kind of failure it hit, so deep helpers (a sandbox check, a
 * webhook call) can classify it without threading an outcome back through every return value.
 */
public class AgentException extends RuntimeException {
    private final String errorType;
    private final boolean retryable;

    public AgentException(String errorType, String message, boolean retryable) {
        super(message);
        this.errorType = errorType;
        this.retryable = retryable;
    }

    public AgentException(String errorType, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.errorType = errorType;
        this.retryable = retryable;
    }

    public static AgentException permanent(String errorType, String message) {
        return new AgentException(errorType, message, false);
    }

    public static AgentException transientFailure(String errorType, String message, Throwable cause) {
        return new AgentException(errorType, message, true, cause);
    }

    public String errorType() {
        return errorType;
    }

    public boolean retryable() {
        return retryable;
    }

    public AgentOutcome toOutcome() {
        return AgentOutcome.failure(errorType, getMessage(), retryable);
    }
}
