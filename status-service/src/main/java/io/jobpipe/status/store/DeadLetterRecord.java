package io.jobpipe.status.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One record of a {@code jobpipe.stage.<stage>.dlq} topic, a row of {@code dead_letters}.
 *
 * @param jobId     the record key (null when the record had none)
 * @param headers   every header as UTF-8 text
 * @param valueJson the value when it is JSON (the StageRequested of the last attempt), else null
 * @param rawValue  the value when it is not JSON (what a worker could not read), else null
 */
public record DeadLetterRecord(String topic, int partition, long offset, String jobId, String stage,
                               String errorClass, String errorMessage, Integer attempts, Instant firstFailureAt,
                               Instant lastFailureAt, String traceId, String deadLetteredBy, String reason,
                               Map<String, String> headers, String valueJson, byte[] rawValue) {

    public DeadLetterRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(stage, "stage");
        headers = Map.copyOf(headers);
    }
}
