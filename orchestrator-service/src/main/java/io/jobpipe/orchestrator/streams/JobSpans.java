package io.jobpipe.orchestrator.streams;

import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One span per input the orchestrator processes, a child of the job's stored {@code traceparent}, so the
 * whole job (ingest, every stage hop, every retry) is one trace.
 */
final class JobSpans {
    private final Tracer tracer;

    JobSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Starts a span under {@code parentTraceparent}, or a new trace when there is none. */
    Span start(String name, SpanKind kind, String parentTraceparent, String jobId) {
        Context parent = Context.root();
        if (parentTraceparent != null) {
            Headers carrier = new RecordHeaders();
            KafkaTraceHeaders.setTraceparent(carrier, parentTraceparent);
            parent = KafkaTraceHeaders.extract(carrier);
        }
        return tracer.spanBuilder(name)
                .setParent(parent)
                .setSpanKind(kind)
                .setAttribute("jobpipe.job.id", jobId)
                .startSpan();
    }

    /**
     * The {@code traceparent} that records written under {@code span} carry; {@code fallback} when the span
     * is not recording a valid context (e.g. a no-op tracer), so records never lose the job's trace.
     */
    static String traceparentOf(Span span, String fallback) {
        if (!span.getSpanContext().isValid()) {
            return fallback;
        }
        Headers carrier = new RecordHeaders();
        KafkaTraceHeaders.inject(Context.root().with(span), carrier);
        String traceparent = KafkaTraceHeaders.traceparent(carrier);
        return traceparent != null ? traceparent : fallback;
    }
}
