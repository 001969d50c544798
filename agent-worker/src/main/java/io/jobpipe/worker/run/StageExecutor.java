package io.jobpipe.worker.run;

import io.jobpipe.core.event.EventIds;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.support.logging.LogContext;
import io.jobpipe.worker.agent.AgentOutcome;
import io.jobpipe.worker.agent.AgentRunner;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Runs one stage attempt inside an {@code agent <stage>} span (a child of the request's trace) and turns the
 * agent's outcome into the {@link StageResult} to publish, with its start time and duration.
 */
public final class StageExecutor {
    static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("jobpipe.job.id");
    static final AttributeKey<String> STAGE = AttributeKey.stringKey("jobpipe.stage");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("jobpipe.attempt");
    static final AttributeKey<String> AGENT = AttributeKey.stringKey("jobpipe.agent");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("jobpipe.error.type");
    static final AttributeKey<Boolean> RETRYABLE = AttributeKey.booleanKey("jobpipe.retryable");

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
                .setAttribute(JOB_ID, request.jobId())
                .setAttribute(STAGE, request.stage())
                .setAttribute(ATTEMPT, (long) request.attempt())
                .setAttribute(AGENT, request.agent().toString())
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
            span.setAttribute(ERROR_TYPE, f.errorType());
            span.setAttribute(RETRYABLE, f.retryable());
            result = new StageResult.StageFailed(EventIds.newEventId(), request.jobId(), now, request.stage(),
                    request.attempt(), startedAt, durationMs, f.errorType(), f.message(), f.retryable());
        }
        span.end();
        return new Execution(result, span.getSpanContext());
    }
}
