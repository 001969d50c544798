package io.jobpipe.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * What a worker (or an agent callback via ingest) reports for one stage attempt.
 * Value of {@code jobpipe.stage.results}, key = jobId.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = StageResult.StageSucceeded.class, name = "StageSucceeded"),
        @JsonSubTypes.Type(value = StageResult.StageFailed.class, name = "StageFailed"),
        @JsonSubTypes.Type(value = StageResult.StageHeartbeat.class, name = "StageHeartbeat")
})
public sealed interface StageResult extends Event {
    String stage();

    int attempt();

    /** The agent finished; {@code summary} is a one-line human description of {@code output}. */
    record StageSucceeded(String eventId, String jobId, Instant occurredAt, String stage, int attempt,
                          Instant startedAt, long durationMs, String summary, JsonNode output) implements StageResult {
    }

    /** The agent failed. {@code retryable=false} fails the job at once (e.g. invalid payload). */
    record StageFailed(String eventId, String jobId, Instant occurredAt, String stage, int attempt,
                       Instant startedAt, long durationMs, String errorType, String message,
                       boolean retryable) implements StageResult {
    }

    /** The agent is still working: pushes the attempt's deadline out. */
    record StageHeartbeat(String eventId, String jobId, Instant occurredAt, String stage, int attempt,
                          String message) implements StageResult {
    }
}
