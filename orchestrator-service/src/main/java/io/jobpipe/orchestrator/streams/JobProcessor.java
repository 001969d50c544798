package io.jobpipe.orchestrator.streams;

import io.jobpipe.core.event.Event;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.jobpipe.orchestrator.machine.Input;
import io.jobpipe.orchestrator.machine.JobState;
import io.jobpipe.orchestrator.machine.JobStateMachine;
import io.jobpipe.orchestrator.machine.Output;
import io.jobpipe.orchestrator.machine.Timer;
import io.jobpipe.orchestrator.machine.Transition;
import io.jobpipe.orchestrator.metrics.OrchestratorMetrics;
import io.jobpipe.orchestrator.metrics.TaskMeters;
import io.jobpipe.support.logging.LogContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Translates records and due timers into {@link JobStateMachine} inputs, stores the new state, and
 * carries out the outputs: job events, stage requests and dead letters are forwarded to their sinks,
 * timers go to the {@code job-timers} store. Everything it writes commits in the same EOS transaction.
 * Its log lines carry the job's {@code jobId}, {@code requestId}, current {@code stage} and {@code attempt}, and
 * {@code traceId}; a job's acceptance and its end are logged at INFO, every other job event at DEBUG.
 */
final class JobProcessor implements Processor<String, Object, String, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(JobProcessor.class);
    /** Bounds one punctuation so a backlog of timers cannot hold up the partition's records for long. */
    private static final int MAX_TIMERS_PER_PUNCTUATION = 1_000;

    private final JobStateMachine machine;
    private final Topics topics;
    private final JobSpans spans;
    private final Duration punctuateInterval;
    private final DoubleSupplier random;
    private final OrchestratorMetrics metrics;
    private TaskMeters meters;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, JobState> states;
    private KeyValueStore<String, Timer> timers;

    JobProcessor(JobStateMachine machine, Topics topics, JobSpans spans, Duration punctuateInterval,
                 DoubleSupplier random, OrchestratorMetrics metrics) {
        this.machine = machine;
        this.topics = topics;
        this.spans = spans;
        this.punctuateInterval = punctuateInterval;
        this.random = random;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.states = context.getStateStore(OrchestratorTopology.JOB_STATE_STORE);
        this.timers = context.getStateStore(OrchestratorTopology.JOB_TIMERS_STORE);
        context.schedule(punctuateInterval, PunctuationType.WALL_CLOCK_TIME, this::fireDueTimers);
        // Runs after the stores are restored: the task's jobs in flight are counted once, then kept at transitions.
        meters = metrics.openTask();
        meters.recount(states, timers);
    }

    @Override
    public void close() {
        if (meters != null) {
            meters.close();
        }
    }

    @Override
    public void process(Record<String, Object> record) {
        String jobId = record.key();
        if (!(record.value() instanceof Event event) || jobId == null || !jobId.equals(event.jobId())) {
            // Keyed by something other than its jobId, the record would live on the wrong partition's state.
            LOG.warn("skipping record with key {} and value {}: not an event keyed by its jobId", jobId,
                    record.value() == null ? null : record.value().getClass().getSimpleName());
            return;
        }
        long nowMs = context.currentSystemTimeMs();
        JobState before = states.get(jobId);
        String recordTraceparent = KafkaTraceHeaders.traceparent(record.headers());
        String jobTraceparent = before != null && before.traceparent() != null ? before.traceparent() : null;
        String parent = jobTraceparent != null ? jobTraceparent : recordTraceparent;
        Span span = spans.startForRecord(event, jobTraceparent, recordTraceparent);
        try (Scope ignored = span.makeCurrent()) {
            String traceparent = JobSpans.traceparentOf(span, parent);
            Input input;
            if (event instanceof JobRequested requested) {
                // A job that arrives without trace context starts its own trace here and keeps it.
                input = new Input.Requested(requested, parent != null ? parent : traceparent);
            } else if (event instanceof StageResult result) {
                input = new Input.ResultReceived(result);
            } else {
                LOG.warn("skipping {} for job {}: not an orchestrator input", event.getClass().getSimpleName(), jobId);
                return;
            }
            Transition transition = machine.apply(before, input, Instant.ofEpochMilli(nowMs), random);
            JobSpans.describe(span, transition);
            carryOut(jobId, before, transition, nowMs, traceparent);
        } finally {
            span.end();
        }
    }

    private void fireDueTimers(long nowMs) {
        List<KeyValue<String, Timer>> due = new ArrayList<>();
        try (KeyValueIterator<String, Timer> all = timers.all()) {
            while (all.hasNext() && due.size() < MAX_TIMERS_PER_PUNCTUATION) {
                KeyValue<String, Timer> next = all.next();
                if (TimerKeys.dueAtMillis(next.key) > nowMs) {
                    break;
                }
                due.add(next);
            }
        }
        for (KeyValue<String, Timer> entry : due) {
            timers.delete(entry.key);
            fire(entry.value, nowMs);
        }
        meters.timersPending(timers.approximateNumEntries());
    }

    private void fire(Timer timer, long nowMs) {
        JobState before = states.get(timer.jobId());
        Transition transition = machine.apply(before, new Input.TimerFired(timer), Instant.ofEpochMilli(nowMs), random);
        if (transition.outputs().isEmpty()) {
            // Most timers are stale (the attempt already reported); they leave no trace.
            return;
        }
        String parent = before == null ? null : before.traceparent();
        Span span = spans.startForTimer(timer, parent);
        try (Scope ignored = span.makeCurrent()) {
            JobSpans.describe(span, transition);
            carryOut(timer.jobId(), before, transition, nowMs, JobSpans.traceparentOf(span, parent));
        } finally {
            span.end();
        }
    }

    private void carryOut(String jobId, JobState before, Transition transition, long nowMs, String traceparent) {
        JobState after = transition.state() != null ? transition.state() : before;
        try (LogContext ignored = LogContext.open().jobId(jobId)
                .requestId(after == null ? null : after.requestId())
                .stage(after == null ? null : after.stage())
                .attempt(after == null ? 0 : after.attempt())
                .traceId(KafkaTraceHeaders.traceIdOf(traceparent))) {
            meters.transitioned(before, transition);
            if (transition.state() != null && transition.state() != before) {
                states.put(jobId, transition.state());
            }
            for (Output output : transition.outputs()) {
                if (output instanceof Output.EmitJobEvent emit) {
                    log(emit.event());
                    context.forward(new Record<>(jobId, emit.event(), nowMs, traceHeaders(traceparent)),
                            OrchestratorTopology.JOB_EVENTS_SINK);
                } else if (output instanceof Output.DispatchStage dispatch) {
                    context.forward(new Record<>(jobId, dispatch.request(), nowMs, traceHeaders(traceparent)),
                            OrchestratorTopology.STAGE_REQUESTS_SINK);
                } else if (output instanceof Output.ScheduleTimer schedule) {
                    timers.put(TimerKeys.of(schedule.at(), schedule.timer()), schedule.timer());
                } else if (output instanceof Output.DeadLetter deadLetter) {
                    String originalTopic = topics.stage(deadLetter.request().stage()).name();
                    LOG.warn("job {} dead-lettered at stage {} after {} attempts: {}", jobId,
                            deadLetter.request().stage(), deadLetter.attempts(), deadLetter.message());
                    context.forward(new Record<>(jobId, deadLetter.request(), nowMs,
                                    DeadLetterRecord.headers(deadLetter, originalTopic, traceparent)),
                            OrchestratorTopology.DEAD_LETTERS_SINK);
                } else {
                    throw new IllegalStateException("unknown output " + output.getClass().getName());
                }
            }
        }
    }

    private static void log(JobEvent event) {
        if (event instanceof JobEvent.JobAccepted accepted) {
            LOG.info("job accepted: pipeline {}, stages {}", accepted.pipeline(), accepted.stages());
        } else if (event instanceof JobEvent.JobCompleted) {
            LOG.info("job completed");
        } else if (event instanceof JobEvent.JobFailed failed) {
            LOG.warn("job failed at stage {}: {}: {}", failed.stage(), failed.errorType(), failed.message());
        } else {
            LOG.debug("seq {}: {}", event.seq(), event.getClass().getSimpleName());
        }
    }

    private static Headers traceHeaders(String traceparent) {
        Headers headers = new RecordHeaders();
        KafkaTraceHeaders.setTraceparent(headers, traceparent);
        return headers;
    }
}
