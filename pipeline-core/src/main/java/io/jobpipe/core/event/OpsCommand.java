package io.jobpipe.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Objects;

/**
 * An operator's command about one job. Value of {@code jobpipe.ops.commands}, key = jobId; written by the ops API
 * (status-service), the CLI or plain Kafka tools, consumed by the orchestrator, which alone decides what it does.
 * A command that cannot apply (a replay of a running job, a cancel of a finished one) changes nothing.
 *
 * <p>Every command names who asked ({@code requestedBy}: the ops token's name, or what a kcat user writes) and why
 * ({@code reason}, required), and, when it was one of many chosen by a filter, that filter as text ({@code filter},
 * else null), so the job's history says who did what to it and on which selection.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = OpsCommand.ReplayJob.class, name = "ReplayJob"),
        @JsonSubTypes.Type(value = OpsCommand.CancelJob.class, name = "CancelJob")
})
public sealed interface OpsCommand extends Event {

    String requestedBy();

    String reason();

    String filter();

    /**
     * Runs a dead-lettered job again, at {@code fromStage} (null: the stage it died at) with a fresh attempt budget.
     * {@code replayId} makes the command idempotent: a job applies a replay id once, whatever repeats it.
     *
     * @param inputPatch a JSON Merge Patch (RFC 7386) applied to the job's payload before the stage runs, or null (a
     *                   JSON {@code null} is no patch too: a job's payload cannot become null)
     */
    record ReplayJob(String eventId, String jobId, Instant occurredAt, String replayId, String requestedBy,
                     String reason, String filter, String fromStage, JsonNode inputPatch) implements OpsCommand {
        public ReplayJob {
            requireCommon(eventId, jobId, occurredAt, requestedBy, reason);
            if (replayId == null || replayId.isBlank()) {
                throw new IllegalArgumentException("replayId is required");
            }
            // JSON null reads as a NullNode: no patch either way.
            inputPatch = inputPatch == null || inputPatch.isNull() || inputPatch.isMissingNode() ? null : inputPatch;
        }
    }

    /** Stops the job: nothing more is dispatched, results still in flight are recorded and ignored. */
    record CancelJob(String eventId, String jobId, Instant occurredAt, String requestedBy, String reason,
                     String filter) implements OpsCommand {
        public CancelJob {
            requireCommon(eventId, jobId, occurredAt, requestedBy, reason);
        }
    }

    private static void requireCommon(String eventId, String jobId, Instant occurredAt, String requestedBy,
                                      String reason) {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(requestedBy, "requestedBy");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason is required");
        }
    }
}
