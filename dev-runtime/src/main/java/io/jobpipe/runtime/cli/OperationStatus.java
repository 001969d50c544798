package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import static io.jobpipe.runtime.cli.JsonFields.text;

/**
 * One reading of a bulk operation, {@code GET /ops/operations/{id}}: running, then done, failed, or abandoned (the
 * status replica running it stopped; its error says how to finish it).
 */
record OperationStatus(String state, long matched, long sent, long failed, Instant startedAt, Instant finishedAt,
                       String error) {

    static OperationStatus of(JsonNode operation) {
        return new OperationStatus(text(operation, "state"), operation.path("matched").asLong(),
                operation.path("sent").asLong(), operation.path("failed").asLong(), instant(operation, "startedAt"),
                instant(operation, "finishedAt"), JobsCommand.errorText(operation.path("error")));
    }

    boolean ended() {
        return done() || "failed".equals(state) || "abandoned".equals(state);
    }

    boolean done() {
        return "done".equals(state);
    }

    private static Instant instant(JsonNode node, String field) {
        String value = text(node, field);
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
