package io.jobpipe.agent;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Objects;

/** What an agent produced: an output with a one-line summary, a classified failure, or a promise of a callback. */
public sealed interface AgentOutcome {

    static AgentOutcome success(JsonNode output, String summary) {
        return new Success(output, summary);
    }

    static AgentOutcome failure(String errorType, String message, boolean retryable) {
        return new Failure(errorType, message, retryable, null);
    }

    /** A retryable failure whose next attempt should wait at least {@code retryAfter} (an HTTP {@code Retry-After}). */
    static AgentOutcome retryAfter(String errorType, String message, Duration retryAfter) {
        return new Failure(errorType, message, true, retryAfter);
    }

    /** The work was accepted elsewhere; its result arrives later at {@link AgentCall#callbackUrl()}. */
    static AgentOutcome pending(String note) {
        return new Pending(note);
    }

    record Success(JsonNode output, String summary) implements AgentOutcome {
        public Success {
            Objects.requireNonNull(output, "output");
            summary = summary == null ? "" : oneLine(summary);
        }
    }

    /**
     * {@code retryable=false} fails the job at once: the same input would fail the same way. {@code retryAfter}, when
     * not null, is the least wait before the next attempt.
     */
    record Failure(String errorType, String message, boolean retryable, Duration retryAfter) implements AgentOutcome {
        public Failure {
            Objects.requireNonNull(errorType, "errorType");
            message = message == null ? errorType : message;
            if (retryAfter != null && (retryAfter.isNegative() || !retryable)) {
                retryAfter = null;
            }
        }

        public Failure(String errorType, String message, boolean retryable) {
            this(errorType, message, retryable, null);
        }
    }

    /** The attempt goes on outside the worker: nothing is published now, the callback brings the result. */
    record Pending(String note) implements AgentOutcome {
        public Pending {
            note = note == null ? "" : oneLine(note);
        }
    }

    private static String oneLine(String text) {
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() <= 200 ? flat : flat.substring(0, 199) + "…";
    }
}
