package io.jobpipe.worker.run;

import io.jobpipe.core.event.EventIds;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.jobpipe.core.tracing.SpanAttributes;
import io.jobpipe.support.logging.LogContext;
import io.jobpipe.agent.AgentException;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.worker.agent.AgentRunner;
import io.jobpipe.worker.agent.SealedAgentSpecs;
import io.jobpipe.worker.agent.StageCall;
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
import java.net.URI;
import java.util.Optional;

/**
 * Runs one stage attempt inside an {@code agent <stage>} span (kind CONSUMER, a child of the context the stage
 * request carries: the orchestrator's transition that dispatched it) and turns the agent's outcome into the
 * {@link StageResult} to publish, with its start time and duration. The result carries the agent span's context,
 * so the orchestrator's next transition is its child.
 */
public final class StageExecutor {
    private final AgentRunner runner;
    private final SealedAgentSpecs agents;
    private final Tracer tracer;
    private final Clock clock;

    /** An executor that opens no sealed settings: for tests and tools. */
    public StageExecutor(AgentRunner runner, Tracer tracer, Clock clock) {
        this(runner, SealedAgentSpecs.none(), tracer, clock);
    }

    /** @param agents opens the sealed settings of requests from the worker's own pipeline catalog */
    public StageExecutor(AgentRunner runner, SealedAgentSpecs agents, Tracer tracer, Clock clock) {
        this.runner = runner;
        this.agents = agents;
        this.tracer = tracer;
        this.clock = clock;
    }

    /** errorType of an agent that answered {@link AgentOutcome.Pending} on a worker that serves no callbacks. */
    public static final String PENDING_WITHOUT_CALLBACK = "AgentCallbackUnavailable";

    /** The caller's hooks, with the traceparent of the agent's span for whatever the agent calls. */
    private record TracedHooks(StageCall.Hooks hooks, SpanContext span) implements StageCall.Hooks {
        @Override
        public void heartbeat(String progress) {
            hooks.heartbeat(progress);
        }

        @Override
        public Optional<URI> callbackUrl() {
            return hooks.callbackUrl();
        }

        @Override
        public Optional<String> traceparent() {
            return KafkaTraceHeaders.traceparentOf(span);
        }
    }

    /** The result to publish and the span the agent ran in. */
    public record Execution(StageResult result, SpanContext span) {
    }

    /** Runs {@code request} with no hooks and the request's own deadline: for tests and tools. */
    public Execution execute(StageRequested request, Context parent) {
        return execute(request, parent, request.deadline(), StageCall.Hooks.NONE);
    }

    /**
     * @param deadline when the worker stops waiting for the agent (its start plus the stage timeout)
     * @param hooks    where the agent's heartbeats go and where its callback URL comes from
     */
    public Execution execute(StageRequested request, Context parent, Instant deadline, StageCall.Hooks hooks) {
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
        AgentSpec agent;
        AgentOutcome unopened = null;
        try {
            agent = agents.agentFor(request);
        } catch (AgentException e) {
            agent = request.agent();
            unopened = e.toOutcome();
        }
        StageCall call = new StageCall(request, agent, deadline, new TracedHooks(hooks, span.getSpanContext()));
        hooks.callStarted(call);
        // The agent's lines carry its span's trace id, also when the request came without trace context.
        try (Scope ignored = span.makeCurrent(); LogContext logs = LogContext.open().currentTrace()) {
            outcome = unopened != null ? unopened : runner.run(call);
        }
        if (outcome instanceof AgentOutcome.Pending pending && call.callbackUrl().isEmpty()) {
            outcome = AgentOutcome.failure(PENDING_WITHOUT_CALLBACK, "agent " + request.agent() + " answered that its"
                    + " result comes later (" + pending.note() + "), but this worker has no public base URL for"
                    + " callbacks", false);
        }
        long durationMs = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
        Instant now = clock.instant();
        StageResult result;
        if (outcome instanceof AgentOutcome.Success s) {
            result = new StageResult.StageSucceeded(EventIds.newEventId(), request.jobId(), now,
                    request.stage(), request.attempt(), startedAt, durationMs, s.summary(), s.output(), call.logText());
        } else if (outcome instanceof AgentOutcome.Pending p) {
            // The agent's service took the work: the heartbeat restarts the orchestrator's wait for its callback.
            result = new StageResult.StageHeartbeat(EventIds.newEventId(), request.jobId(), now, request.stage(),
                    request.attempt(), "waiting for the agent's callback" + (p.note().isEmpty() ? "" : ": " + p.note()));
        } else {
            AgentOutcome.Failure f = (AgentOutcome.Failure) outcome;
            span.setStatus(StatusCode.ERROR, f.message());
            span.setAttribute(SpanAttributes.ERROR_TYPE, f.errorType());
            span.setAttribute(SpanAttributes.RETRYABLE, f.retryable());
            result = new StageResult.StageFailed(EventIds.newEventId(), request.jobId(), now, request.stage(),
                    request.attempt(), startedAt, durationMs, f.errorType(), f.message(), f.retryable(),
                    f.retryAfter() == null ? null : f.retryAfter().toMillis(), call.logText());
        }
        span.end();
        return new Execution(result, span.getSpanContext());
    }
}
