package io.jobpipe.orchestrator.streams;

import io.jobpipe.core.event.Event;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.jobpipe.core.tracing.SpanAttributes;
import io.jobpipe.orchestrator.machine.Output;
import io.jobpipe.orchestrator.machine.Timer;
import io.jobpipe.orchestrator.machine.Transition;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.util.stream.Collectors;

/**
 * The orchestrator's transition spans: one per input it processes, named {@code orchestrate <input>}.
 * <ul>
 *   <li>A record's span (kind CONSUMER) is a child of the context the record carries: ingest's request span for
 *       {@code JobRequested}, the agent span for a stage result. The trace then reads as the job ran:
 *       request → transition → agent → transition → … → the transition that completes it.</li>
 *   <li>A record carrying another trace than the job's (a duplicate delivery, a record replayed by hand) is made
 *       a child of the job's stored context instead, linked to its own, so one job stays one trace.</li>
 *   <li>A timer's span (kind INTERNAL) has no record: it is a child of the job's stored context.</li>
 * </ul>
 * Attributes: {@link SpanAttributes#JOB_ID}, {@link SpanAttributes#EVENT_TYPE}, {@link SpanAttributes#STAGE} and
 * {@link SpanAttributes#ATTEMPT} of a stage result or timer, {@link SpanAttributes#CONNECTION} of a request,
 * {@link SpanAttributes#PIPELINE} of an accepted job, and {@link SpanAttributes#EMITTED}: the job events written.
 */
final class JobSpans {
    private final Tracer tracer;

    JobSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Starts the span of processing {@code event}, whose record carried {@code recordTraceparent}. */
    Span startForRecord(Event event, String jobTraceparent, String recordTraceparent) {
        SpanContext job = contextOf(jobTraceparent);
        SpanContext record = contextOf(recordTraceparent);
        boolean recordInJobTrace = record.isValid() && (!job.isValid() || record.getTraceId().equals(job.getTraceId()));
        SpanBuilder builder = tracer.spanBuilder("orchestrate " + event.getClass().getSimpleName())
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(parent(recordInJobTrace ? record : job))
                .setAttribute(SpanAttributes.JOB_ID, event.jobId())
                .setAttribute(SpanAttributes.EVENT_TYPE, event.getClass().getSimpleName());
        if (record.isValid() && !recordInJobTrace) {
            builder.addLink(record);
        }
        if (event instanceof StageResult result) {
            builder.setAttribute(SpanAttributes.STAGE, result.stage())
                    .setAttribute(SpanAttributes.ATTEMPT, (long) result.attempt());
        } else if (event instanceof JobRequested requested) {
            builder.setAttribute(SpanAttributes.CONNECTION, requested.connection());
        }
        return builder.startSpan();
    }

    /** Starts the span of a timer that fired for a job whose stored context is {@code jobTraceparent}. */
    Span startForTimer(Timer timer, String jobTraceparent) {
        return tracer.spanBuilder("orchestrate " + timer.kind())
                .setSpanKind(SpanKind.INTERNAL)
                .setParent(parent(contextOf(jobTraceparent)))
                .setAttribute(SpanAttributes.JOB_ID, timer.jobId())
                .setAttribute(SpanAttributes.EVENT_TYPE, timer.kind().name())
                .setAttribute(SpanAttributes.STAGE, timer.stage())
                .setAttribute(SpanAttributes.ATTEMPT, (long) timer.attempt())
                .startSpan();
    }

    /** Records on {@code span} which job events {@code transition} writes. */
    static void describe(Span span, Transition transition) {
        String emitted = transition.outputs().stream()
                .filter(Output.EmitJobEvent.class::isInstance)
                .map(output -> ((Output.EmitJobEvent) output).event().getClass().getSimpleName())
                .collect(Collectors.joining(","));
        if (!emitted.isEmpty()) {
            span.setAttribute(SpanAttributes.EMITTED, emitted);
        }
        for (Output output : transition.outputs()) {
            if (output instanceof Output.EmitJobEvent emit && emit.event() instanceof JobEvent.JobAccepted accepted) {
                span.setAttribute(SpanAttributes.PIPELINE, accepted.pipeline());
            }
        }
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

    private static Context parent(SpanContext context) {
        return context.isValid() ? Context.root().with(Span.wrap(context)) : Context.root();
    }

    private static SpanContext contextOf(String traceparent) {
        if (traceparent == null) {
            return SpanContext.getInvalid();
        }
        Headers carrier = new RecordHeaders();
        KafkaTraceHeaders.setTraceparent(carrier, traceparent);
        return Span.fromContext(KafkaTraceHeaders.extract(carrier)).getSpanContext();
    }
}
