package io.jobpipe.orchestrator.streams;

import io.jobpipe.core.kafka.DeadLetterHeaders;
import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.jobpipe.orchestrator.machine.Output;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;


/**
 * Builds the headers of a dead letter the orchestrator writes (names and meaning: {@link DeadLetterHeaders}).
 * The value is the StageRequested of the last attempt, unchanged, so an operator can replay it with plain tools
 * ({@code kcat -P}) onto the stage topic; {@code traceparent} is set like on every record the orchestrator writes.
 * The original partition and offset are not headers: the orchestrator wrote the request itself inside a
 * transaction and never learns its offset; the request's {@code eventId} identifies it instead.
 */
final class DeadLetterRecord {
    private DeadLetterRecord() {
    }

    static Headers headers(Output.DeadLetter deadLetter, String originalTopic, String traceparent) {
        Headers headers = new RecordHeaders();
        DeadLetterHeaders.put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, originalTopic);
        DeadLetterHeaders.put(headers, DeadLetterHeaders.ERROR_CLASS, deadLetter.errorType());
        DeadLetterHeaders.put(headers, DeadLetterHeaders.ERROR_MESSAGE, deadLetter.message());
        DeadLetterHeaders.put(headers, DeadLetterHeaders.ATTEMPTS, String.valueOf(deadLetter.attempts()));
        DeadLetterHeaders.put(headers, DeadLetterHeaders.FIRST_FAILURE,
                deadLetter.firstFailureAt() == null ? null : deadLetter.firstFailureAt().toString());
        DeadLetterHeaders.put(headers, DeadLetterHeaders.LAST_FAILURE,
                deadLetter.lastFailureAt() == null ? null : deadLetter.lastFailureAt().toString());
        DeadLetterHeaders.put(headers, DeadLetterHeaders.TRACE_ID, KafkaTraceHeaders.traceIdOf(traceparent));
        KafkaTraceHeaders.setTraceparent(headers, traceparent);
        return headers;
    }
}
