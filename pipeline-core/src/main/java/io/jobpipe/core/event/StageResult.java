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

    /**
     * The agent finished; {@code summary} is a one-line human description of {@code output}. {@code log} is the tail
     * of what the agent logged (a command agent's stderr), or null.
     */
    record StageSucceeded(String eventId, String jobId, Instant occurredAt, String stage, int attempt,
                          Instant startedAt, long durationMs, String summary, JsonNode output,
                          String log) implements StageResult {

        public StageSucceeded(String eventId, String jobId, Instant occurredAt, String stage, int attempt,
                              Instant startedAt, long durationMs, String summary, JsonNode output) {
            this(eventId, jobId, occurredAt, stage, attempt, startedAt, durationMs, summary, output, null);
        }
    }

    /**
     * The agent failed. {@code retryable=false} fails the job at once (e.g. invalid payload). {@code retryAfterMs},
     * when not null, is the least wait before the next attempt the agent asked for (an HTTP {@code Retry-After}).
     */
    record StageFailed(String eventId, String jobId, Instant occurredAt, String stage, int attempt,
                       Instant startedAt, long durationMs, String errorType, String message,
                       boolean retryable, Long retryAfterMs, String log) implements StageResult {

        public StageFailed(String eventId, String jobId, Instant occurredAt, String stage, int attempt,
                           Instant startedAt, long durationMs, String errorType, String message, boolean retryable) {
            this(eventId, jobId, occurredAt, stage, attempt, startedAt, durationMs, errorType, message, retryable,
                    null, null);
        }
    }

    /** The agent is still working: pushes the attempt's deadline out. */
    record StageHeartbeat(String eventId, String jobId, Instant occurredAt, String stage, int attempt,
                          String message) implements StageResult {
    }
}
