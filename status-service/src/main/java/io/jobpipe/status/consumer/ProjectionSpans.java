package io.jobpipe.status.consumer;

import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.jobpipe.core.tracing.SpanAttributes;
import io.jobpipe.status.store.IncomingEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.List;

/**
 * The projection's spans: one per job event read, {@code project <EventType>} (kind CONSUMER), a child of the
 * context its {@code jobpipe.job.events} record carries (the orchestrator transition that wrote it), so each job's
 * trace ends in the read model. A batch is one database transaction, so every span of a batch lasts from the
 * batch's start to its commit; a batch that fails ends its spans in error, and its retry makes new ones.
 * Attributes: {@link SpanAttributes#JOB_ID}, {@link SpanAttributes#EVENT_TYPE}, {@link SpanAttributes#SEQ}.
 */
final class ProjectionSpans {
    private final Tracer tracer;

    ProjectionSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    Span start(ConsumerRecord<String, byte[]> record, IncomingEvent event) {
        return tracer.spanBuilder("project " + event.type())
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(KafkaTraceHeaders.extract(record.headers()))
                .setAttribute(SpanAttributes.JOB_ID, event.event().jobId())
                .setAttribute(SpanAttributes.EVENT_TYPE, event.type())
                .setAttribute(SpanAttributes.SEQ, event.event().seq())
                .startSpan();
    }

    static void fail(List<Span> spans, RuntimeException error) {
        for (Span span : spans) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
        }
    }

    static void end(List<Span> spans) {
        spans.forEach(Span::end);
    }
}
