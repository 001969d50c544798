package io.jobpipe.core.kafka;

import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;

/**
 * The headers of a record on {@code jobpipe.stage.<stage>.dlq}, written by the orchestrator (a stage that ran out
 * of attempts: the value is the last StageRequested, unchanged). Every value is UTF-8 text, so an operator can read
 * dead letters with plain Kafka tools such as kcat. Workers once wrote records they could not read here too (the
 * original bytes, with {@link #REASON}, {@link #ORIGINAL_PARTITION}, {@link #ORIGINAL_OFFSET}, {@link #FAILED_AT}
 * and {@link #DEAD_LETTERED_BY}); they now copy them to {@code jobpipe.poison} ({@link PoisonHeaders}). Those names
 * stay so the status service can still read such records while they are within the topic's retention.
 */
public final class DeadLetterHeaders {
    /** The topic the record was meant for, e.g. {@code jobpipe.stage.act}. */
    public static final String ORIGINAL_TOPIC = "jobpipe.dlq.original.topic";
    /** Partition and offset of the original record, when it was read from Kafka (worker dead letters). */
    public static final String ORIGINAL_PARTITION = "jobpipe.dlq.original.partition";
    public static final String ORIGINAL_OFFSET = "jobpipe.dlq.original.offset";
    /** Why it is here, when not a failed stage: {@value #REASON_UNDESERIALIZABLE}. */
    public static final String REASON = "jobpipe.dlq.reason";
    /** The error type of the last failure, e.g. {@code StageTimeout}, or the exception class. */
    public static final String ERROR_CLASS = "jobpipe.dlq.error.class";
    public static final String ERROR_MESSAGE = "jobpipe.dlq.error.message";
    /** Attempts made (orchestrator) or deliveries to the share group (worker), decimal. */
    public static final String ATTEMPTS = "jobpipe.dlq.attempts";
    /** ISO-8601 UTC instants of the first and last failure of the stage. */
    public static final String FIRST_FAILURE = "jobpipe.dlq.first.failure";
    public static final String LAST_FAILURE = "jobpipe.dlq.last.failure";
    /** When a worker dead-lettered an unreadable record, ISO-8601 UTC. */
    public static final String FAILED_AT = "jobpipe.dlq.failed.at";
    /** The job's W3C trace id (32 hex digits), when it has one. */
    public static final String TRACE_ID = "jobpipe.dlq.trace.id";
    /** Which component wrote the dead letter. */
    public static final String DEAD_LETTERED_BY = "jobpipe.dlq.by";

    public static final String REASON_UNDESERIALIZABLE = "undeserializable";

    private DeadLetterHeaders() {
    }

    /** Adds {@code key: value} as UTF-8, skipping null values. */
    public static void put(Headers headers, String key, String value) {
        if (value != null) {
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
