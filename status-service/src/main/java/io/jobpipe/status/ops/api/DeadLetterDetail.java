package io.jobpipe.status.ops.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.status.api.OpsHistory;
import io.micronaut.core.annotation.Introspected;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /ops/dead-letters/{jobId}}: the list item's facts, the dead-letter record, every failed attempt, the
 * replays and the whole history. {@code attempts} and {@code replays} are lists here; their counts are
 * {@code attemptsMade} and {@code replayCount}.
 *
 * @param record the job's latest dead-letter record as consumed from its topic, or null when not consumed yet
 */
@Introspected
public record DeadLetterDetail(String jobId, String state, String pipeline, String connection, String eventType,
                               String stage, String errorClass, String errorMessage, Integer attemptsMade,
                               Instant deadLetteredAt, int replayCount, boolean parked, Record record,
                               List<FailedAttempt> attempts, List<OpsHistory.Replay> replays,
                               List<OpsHistory.RefusedReplay> refusedReplays, List<HistoryEntry> history) {

    /**
     * A record of {@code jobpipe.stage.<stage>.dlq}.
     *
     * @param value          the StageRequested JSON, or null when the value was not JSON
     * @param rawValueBase64 the value, base64, when it was not JSON
     */
    @Introspected
    public record Record(String topic, int partition, long offset, Map<String, String> headers, JsonNode value,
                         String rawValueBase64) {
    }

    /** One StageAttemptFailed. */
    @Introspected
    public record FailedAttempt(String stage, int attempt, Instant startedAt, long durationMs, String errorType,
                                String message, boolean retryable, Instant nextAttemptAt) {
    }

    /** One event of the job's history, as the orchestrator wrote it. */
    @Introspected
    public record HistoryEntry(String type, long seq, Instant occurredAt, JsonNode body) {
    }
}
