package io.jobpipe.worker.run;

import io.jobpipe.core.event.EventIds;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.tracing.SpanAttributes;
import io.jobpipe.support.logging.LogContext;
import io.jobpipe.worker.agent.AgentOutcome;
import io.jobpipe.worker.agent.AgentRunner;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Runs one stage attempt inside an {@code agent <stage>} span (kind CONSUMER, a child of the context the stage
 * request carries: the orchestrator's transition that dispatched it) and turns the agent's outcome into the
 * {@link StageResult} to publish, with its start time and duration. The result carries the agent span's context,
 * so the orchestrator's next transition is its child.
 */
public final class StageExecutor {
    private final AgentRunner runner;
    private final Tracer tracer;
    private final Clock clock;

    public StageExecutor(AgentRunner runner, Tracer tracer, Clock clock) {
        this.runner = runner;
        this.tracer = tracer;
        this.clock = clock;
    }

    /** The result to publish and the span the agent ran in. */
    public record Execution(StageResult result, SpanContext span) {
    }

    public Execution execute(StageRequested request, Context parent) {
        Span span = tracer.spanBuilder("agent " + request.stage())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SpanAttributes.JOB_ID, request.jobId())
                .setAttribute(SpanAttributes.STAGE, request.stage())
                .setAttribute(SpanAttributes.ATTEMPT, (long) request.attempt())
                .setAttribute(SpanAttributes.PIPELINE, request.pipeline())
                .setAttribute(SpanAttributes.AGENT, request.agent().toString())
                .startSpan();
        Instant startedAt = clock.instant();
        long startNanos = System.nanoTime();
        AgentOutcome outcome;
        // The agent's lines carry its span's trace id, also when the request came without trace context.
        try (Scope ignored = span.makeCurrent(); LogContext logs = LogContext.open().currentTrace()) {
            outcome = runner.run(request);
        }
        long durationMs = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
        Instant now = clock.instant();
        StageResult result;
        if (outcome instanceof AgentOutcome.Success s) {
            result = new StageResult.StageSucceeded(EventIds.newEventId(), request.jobId(), now,
                    request.stage(), request.attempt(), startedAt, durationMs, s.summary(), s.output());
        } else {
            AgentOutcome.Failure f = (AgentOutcome.Failure) outcome;
            span.setStatus(StatusCode.ERROR, f.message());
            span.setAttribute(SpanAttributes.ERROR_TYPE, f.errorType());
            span.setAttribute(SpanAttributes.RETRYABLE, f.retryable());
            result = new StageResult.StageFailed(EventIds.newEventId(), request.jobId(), now, request.stage(),
                    request.attempt(), startedAt, durationMs, f.errorType(), f.message(), f.retryable());
        }
        span.end();
        return new Execution(result, span.getSpanContext());
    }
}
