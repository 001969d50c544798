package io.jobpipe.orchestrator.streams;

import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.jobpipe.orchestrator.machine.Output;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * Headers of a record on {@code jobpipe.stage.<stage>.dlq}. The value is the StageRequested of the last
 * attempt, unchanged, so an operator can replay it with plain tools ({@code kcat -P}) onto the stage topic.
 * Every header value is UTF-8 text:
 * <ul>
 *   <li>{@value #ORIGINAL_TOPIC}: the stage topic the request was sent to, e.g. {@code jobpipe.stage.act}</li>
 *   <li>{@value #ERROR_CLASS}: the errorType of the last failure, e.g. {@code HttpTimeout}, {@code StageTimeout}</li>
 *   <li>{@value #ERROR_MESSAGE}: the message of the last failure</li>
 *   <li>{@value #ATTEMPTS}: how many attempts were made, decimal</li>
 *   <li>{@value #FIRST_FAILURE}: when the stage first failed, ISO-8601 UTC instant</li>
 *   <li>{@value #LAST_FAILURE}: when it failed for the last time, ISO-8601 UTC instant</li>
 *   <li>{@value #TRACE_ID}: the job's W3C trace id (32 hex digits); absent if the job has none</li>
 *   <li>{@code traceparent}: the W3C trace context, like on every record the orchestrator writes</li>
 * </ul>
 * The original partition and offset are not headers: the orchestrator wrote the request itself inside a
 * transaction and never learns its offset; the request's {@code eventId} identifies it instead.
 */
public final class DeadLetterHeaders {
    public static final String ORIGINAL_TOPIC = "jobpipe.dlq.original.topic";
    public static final String ERROR_CLASS = "jobpipe.dlq.error.class";
    public static final String ERROR_MESSAGE = "jobpipe.dlq.error.message";
    public static final String ATTEMPTS = "jobpipe.dlq.attempts";
    public static final String FIRST_FAILURE = "jobpipe.dlq.first.failure";
    public static final String LAST_FAILURE = "jobpipe.dlq.last.failure";
    public static final String TRACE_ID = "jobpipe.dlq.trace.id";

    private DeadLetterHeaders() {
    }

    static Headers of(Output.DeadLetter deadLetter, String originalTopic, String traceparent) {
        Headers headers = new RecordHeaders();
        add(headers, ORIGINAL_TOPIC, originalTopic);
        add(headers, ERROR_CLASS, deadLetter.errorType());
        add(headers, ERROR_MESSAGE, deadLetter.message());
        add(headers, ATTEMPTS, String.valueOf(deadLetter.attempts()));
        add(headers, FIRST_FAILURE, deadLetter.firstFailureAt() == null ? null : deadLetter.firstFailureAt().toString());
        add(headers, LAST_FAILURE, deadLetter.lastFailureAt() == null ? null : deadLetter.lastFailureAt().toString());
        add(headers, TRACE_ID, KafkaTraceHeaders.traceIdOf(traceparent));
        KafkaTraceHeaders.setTraceparent(headers, traceparent);
        return headers;
    }

    private static void add(Headers headers, String key, String value) {
        if (value != null) {
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
