package io.jobpipe.core.tracing;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The span attribute keys every service writes, stated once so that one search ({@code jobpipe.job.id = job_…})
 * finds every span of a job, whichever service made it. Keys are lower-case, dot-separated, under
 * {@code jobpipe.}, as OpenTelemetry's naming rules ask of custom attributes.
 */
public final class SpanAttributes {
    /** The job a span works on: ingest's request span (once known), every orchestrator, agent and projection span. */
    public static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("jobpipe.job.id");
    /** The request id ingest gave the webhook delivery ({@code X-Request-Id}). */
    public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("jobpipe.request.id");
    /** The connection the webhook came in on. */
    public static final AttributeKey<String> CONNECTION = AttributeKey.stringKey("jobpipe.connection");
    /** The pipeline the job runs. */
    public static final AttributeKey<String> PIPELINE = AttributeKey.stringKey("jobpipe.pipeline");
    /** The stage a span concerns. */
    public static final AttributeKey<String> STAGE = AttributeKey.stringKey("jobpipe.stage");
    /** The stage attempt, from 1. */
    public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("jobpipe.attempt");
    /** The agent a stage ran, as its spec reads ({@code builtin:validate}, {@code http:…}). */
    public static final AttributeKey<String> AGENT = AttributeKey.stringKey("jobpipe.agent");
    /** The event or input a span handled ({@code JobRequested}, {@code StageSucceeded}, {@code StageCompleted}…). */
    public static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("jobpipe.event.type");
    /** A job event's per-job sequence number. */
    public static final AttributeKey<Long> SEQ = AttributeKey.longKey("jobpipe.job.seq");
    /** The job events a transition emitted, in order (comma-separated types). */
    public static final AttributeKey<String> EMITTED = AttributeKey.stringKey("jobpipe.emitted");
    /** A failed attempt's error type. */
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("jobpipe.error.type");
    /** Whether a failed attempt may be retried. */
    public static final AttributeKey<Boolean> RETRYABLE = AttributeKey.booleanKey("jobpipe.retryable");

    private SpanAttributes() {
    }
}
