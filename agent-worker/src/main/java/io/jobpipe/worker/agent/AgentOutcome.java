package io.jobpipe.worker.agent;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/** What an agent produced: an output with a one-line summary, or a classified failure. */
public sealed interface AgentOutcome {

    static AgentOutcome success(JsonNode output, String summary) {
        return new Success(output, summary);
    }

    static AgentOutcome failure(String errorType, String message, boolean retryable) {
        return new Failure(errorType, message, retryable);
    }

    record Success(JsonNode output, String summary) implements AgentOutcome {
        public Success {
            Objects.requireNonNull(output, "output");
            summary = summary == null ? "" : oneLine(summary);
        }
    }

    /** {@code retryable=false} fails the job at once: the same input would fail the same way. */
    record Failure(String errorType, String message, boolean retryable) implements AgentOutcome {
        public Failure {
            Objects.requireNonNull(errorType, "errorType");
            message = message == null ? errorType : message;
        }
    }

    private static String oneLine(String text) {
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() <= 200 ? flat : flat.substring(0, 199) + "…";
    }
}
