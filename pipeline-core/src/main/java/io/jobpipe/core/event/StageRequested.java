package io.jobpipe.core.event;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Objects;

/**
 * The orchestrator asks a worker to run one attempt of one stage.
 * Value of {@code jobpipe.stage.<stage>}, key = jobId.
 *
 * @param input    what the agent works on: {@code {"connection","eventType","payload","outputs":{stage: output}}}
 * @param deadline when the attempt counts as timed out unless a result or heartbeat arrives
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonTypeName("StageRequested")
public record StageRequested(
        String eventId,
        String jobId,
        Instant occurredAt,
        String pipeline,
        String stage,
        int stageIndex,
        int attempt,
        AgentSpec agent,
        JsonNode input,
        Instant deadline) implements Event {

    public StageRequested {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(agent, "agent");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1, got " + attempt);
        }
    }

    /** The key agents must use to make their side effects idempotent across at-least-once delivery. */
    public String idempotencyKey() {
        return jobId + ":" + stage;
    }
}
