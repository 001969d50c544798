package io.jobpipe.worker.kafka;

/**
 * Headers on a record the worker moved to {@code jobpipe.stage.<stage>.dlq} because it could not read it.
 * The value is the original bytes, untouched, and the original headers (traceparent included) are kept,
 * so an operator can inspect and replay it with plain Kafka tools. All values are UTF-8 text.
 */
public final class DeadLetterHeaders {
    public static final String ORIGINAL_TOPIC = "jobpipe.dlq.original.topic";
    public static final String ORIGINAL_PARTITION = "jobpipe.dlq.original.partition";
    public static final String ORIGINAL_OFFSET = "jobpipe.dlq.original.offset";
    /** Why it is here: {@code undeserializable} for records the worker cannot read. */
    public static final String REASON = "jobpipe.dlq.reason";
    public static final String ERROR_CLASS = "jobpipe.dlq.error.class";
    public static final String ERROR_MESSAGE = "jobpipe.dlq.error.message";
    /** Deliveries of the original record to the share group so far (Kafka's delivery count). */
    public static final String ATTEMPTS = "jobpipe.dlq.attempts";
    public static final String FAILED_AT = "jobpipe.dlq.failed.at";
    public static final String TRACE_ID = "jobpipe.dlq.trace.id";
    public static final String DEAD_LETTERED_BY = "jobpipe.dlq.by";

    public static final String REASON_UNDESERIALIZABLE = "undeserializable";

    private DeadLetterHeaders() {
    }
}
