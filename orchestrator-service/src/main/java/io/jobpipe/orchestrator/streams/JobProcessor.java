package io.jobpipe.orchestrator.streams;

import io.jobpipe.core.breaker.BreakerState;
import io.jobpipe.core.event.Event;
import io.jobpipe.core.event.EventIds;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.event.OpsCommand;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.kafka.JsonSerde;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.StageDefinition;
import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.jobpipe.orchestrator.breaker.BreakerMonitor;
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
import org.apache.kafka.streams.processor.Cancellable;
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
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.DoubleSupplier;

/**
 * Translates records and due timers into {@link JobStateMachine} inputs, stores the new state, and
 * carries out the outputs: job events, stage requests and dead letters are forwarded to their sinks,
 * timers go to an in-memory {@link TimerIndex}, forgotten jobs leave the store. Everything it writes commits in
 * the same EOS transaction.
 * <p>Timers are not stored: each job's timer follows from its state, so the index is rebuilt from the
 * {@code job-state} store when the task starts, with the restart grace for attempts whose deadline passed
 * meanwhile. A wall-clock punctuation is scheduled only for the earliest due timer, never at a fixed rate: every
 * punctuation makes Kafka Streams commit a transaction, and an idle orchestrator must run none.
 * <p>After a record that changed something, the processor asks for a commit as its {@link CommitPolicy} says: at
 * once after a quiet spell, at most every {@code commitGap} while records follow each other closely. The outputs of a hop are invisible
 * to read_committed workers until the commit.
 * <p>Its log lines carry the job's {@code jobId}, {@code requestId}, current {@code stage} and {@code attempt}, and
 * {@code traceId}; a job's acceptance and its end are logged at INFO, every other job event at DEBUG.
 */
final class JobProcessor implements Processor<String, Object, String, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(JobProcessor.class);
    /** Bounds one punctuation so a backlog of timers cannot hold up the partition's records for long. */
    private static final int MAX_TIMERS_PER_PUNCTUATION = 1_000;
    /** Retention timers are rounded up to this so that finished jobs are forgotten in batches, not one by one. */
    private static final long FORGET_GRANULARITY_MS = Duration.ofMinutes(1).toMillis();
    /** The first wake-up of a task rebuilds its timers; it runs at the first loop pass after the task starts. */
    private static final Duration FIRST_WAKE_UP = Duration.ofMillis(1);
    /** errorType of an attempt whose request was too large to send. */
    static final String REQUEST_TOO_LARGE = "StageRequestTooLarge";
    private static final JsonSerde<StageRequested> REQUEST_SERDE = new JsonSerde<>(StageRequested.class);
    /** While jobs are held, how often the task looks at their breakers (closed? cooldown over?). */
    static final Duration BREAKER_CHECK_INTERVAL = Duration.ofSeconds(1);
    /** Held jobs one task releases per check once their breaker closed: a closed breaker is not a stampede. */
    static final int RELEASES_PER_CHECK = 200;

    private final JobStateMachine machine;
    private final PipelineCatalog catalog;
    private final Topics topics;
    private final JobSpans spans;
    private final JobProcessorSettings settings;
    private final DoubleSupplier random;
    private static final ThreadLocal<CommitPolicy> COMMIT_POLICIES = new ThreadLocal<>();
    private final TimerIndex timers = new TimerIndex();
    private final BreakerMonitor breakerMonitor = new BreakerMonitor();
    private TaskBreakers breakers;
    private final OrchestratorMetrics metrics;
    private TaskMeters meters;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, JobState> states;
    private boolean timersRebuilt;
    private Cancellable wakeUp;
    private long wakeUpAtMs = Long.MAX_VALUE;

    JobProcessor(JobStateMachine machine, PipelineCatalog catalog, Topics topics, JobSpans spans,
                 JobProcessorSettings settings, DoubleSupplier random, OrchestratorMetrics metrics) {
        this.machine = machine;
        this.catalog = catalog;
        this.topics = topics;
        this.spans = spans;
        this.settings = settings;
        this.random = random;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.states = context.getStateStore(OrchestratorTopology.JOB_STATE_STORE);
        this.breakers = new TaskBreakers(context.getStateStore(OrchestratorTopology.BREAKERS_STORE));
        timers.clear();
        timersRebuilt = false;
        // A task revived after corruption initialises the same processor again, and its old schedule survives.
        cancelWakeUp();
        // The store may still be restoring while init runs; the timers are rebuilt at the first wake-up or record.
        wakeUpBy(context.currentSystemTimeMs() + FIRST_WAKE_UP.toMillis(), context.currentSystemTimeMs());
        // Counted from the restored state at the first wake-up (rebuildTimersOnce), then kept at transitions.
        meters = metrics.openTask();
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
            // Keyed by something other than its jobId, the record would live on the wrong partition's state. Thrown,
            // not dropped here: the processing handler (PoisonRecords) copies it to jobpipe.poison and goes on.
            throw new IllegalArgumentException("not an event keyed by its jobId: key " + jobId + ", value "
                    + (record.value() instanceof Event e ? "for job " + e.jobId() : String.valueOf(record.value())));
        }
        long nowMs = context.currentSystemTimeMs();
        rebuildTimersOnce(nowMs);
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
            } else if (event instanceof OpsCommand command) {
                LOG.info("ops command {} from {}: {}", command.getClass().getSimpleName(), command.requestedBy(),
                        command.reason());
                input = new Input.CommandReceived(command);
            } else {
                LOG.warn("skipping {} for job {}: not an orchestrator input", event.getClass().getSimpleName(), jobId);
                return;
            }
            Transition transition = machine.apply(before, input, Instant.ofEpochMilli(nowMs), random, breakers);
            JobSpans.describe(span, transition);
            carryOut(jobId, before, transition, nowMs, traceparent);
            if (!transition.outputs().isEmpty()) {
                if (commits().commitNow(nowMs, record.timestamp())) {
                    context.commit();
                }
            }
        } finally {
            span.end();
        }
    }

    /** The punctuation: fires the due timers, then sleeps until the next one is due (or for good). */
    private void onWakeUp(long nowMs) {
        cancelWakeUp();
        rebuildTimersOnce(nowMs);
        boolean changed = false;
        for (TimerIndex.Entry due : timers.takeDue(nowMs, MAX_TIMERS_PER_PUNCTUATION)) {
            changed |= fire(due.timer(), nowMs);
        }
        changed |= checkHeldJobs(nowMs);
        if (changed && commits().commitIfGapPassed(nowMs)) {
            context.commit();
        }
        OptionalLong next = timers.earliestDueMs();
        if (next.isPresent()) {
            wakeUpBy(next.getAsLong(), nowMs);
        }
        if (breakers.holdsAny()) {
            wakeUpBy(nowMs + BREAKER_CHECK_INTERVAL.toMillis(), nowMs);
        }
        meters.timersPending(timers.size());
    }

    /** Rebuilds the timers of every job in the store, once per task start (the store is restored by then). */
    private void rebuildTimersOnce(long nowMs) {
        if (timersRebuilt) {
            return;
        }
        timersRebuilt = true;
        Instant restartedAt = Instant.ofEpochMilli(nowMs);
        int jobs = 0;
        int inFlight = 0;
        try (KeyValueIterator<String, JobState> all = states.all()) {
            while (all.hasNext()) {
                JobState state = all.next().value;
                jobs++;
                breakers.track(state.jobId(), state);
                if (OrchestratorMetrics.inFlight(state)) {
                    inFlight++;
                }
                machine.timerAfterRestart(state, restartedAt, settings.restartGrace())
                        .ifPresent(pending -> schedule(pending, nowMs));
            }
        }
        meters.recount(inFlight, timers.size());
        if (jobs > 0) {
            LOG.info("task {}: rebuilt {} timers from {} stored jobs", context.taskId(), timers.size(), jobs);
        }
    }

    /**
     * For each breaker holding jobs of this task: a closed breaker releases them (a batch per check); an open one
     * whose cooldown is over sends one as its probe.
     *
     * @return whether anything changed
     */
    private boolean checkHeldJobs(long nowMs) {
        boolean changed = false;
        Instant now = Instant.ofEpochMilli(nowMs);
        for (String breaker : breakers.breakersHolding()) {
            BreakerState state = breakers.stateOf(breaker);
            if (state == null || !state.holdsDispatches()) {
                for (String jobId : breakers.heldJobs(breaker, RELEASES_PER_CHECK)) {
                    changed |= release(jobId, breaker, false, state == null ? "the breaker is closed"
                            : "the breaker closed at " + state.since() + ": " + state.reason(), nowMs);
                }
                continue;
            }
            Optional<StageDefinition> stage = stageOf(state.pipeline(), state.stage());
            if (stage.isEmpty()) {
                continue;
            }
            Optional<BreakerState> probing = breakerMonitor.probeDue(state.pipeline(), stage.get(), state, now);
            if (probing.isPresent()) {
                List<String> first = breakers.heldJobs(breaker, 1);
                writeBreaker(probing.get(), nowMs);
                breakerMonitor.probeSent(breaker, first.get(0), now);
                changed = true;
                release(first.get(0), breaker, true, probing.get().reason(), nowMs);
            }
        }
        return changed;
    }

    private boolean release(String jobId, String breaker, boolean probe, String reason, long nowMs) {
        JobState before = states.get(jobId);
        Transition transition = machine.apply(before, new Input.Release(jobId, breaker, probe, reason),
                Instant.ofEpochMilli(nowMs), random, breakers);
        if (transition.outputs().isEmpty()) {
            breakers.track(jobId, before);
            return false;
        }
        String parent = before == null ? null : before.traceparent();
        carryOut(jobId, before, transition, nowMs, parent);
        return true;
    }

    /** Writes a breaker's new state to {@code jobpipe.breakers}, in this task's transaction. */
    private void writeBreaker(BreakerState state, long nowMs) {
        LOG.warn("circuit breaker {} is now {}: {}", state.breaker(), state.status(), state.reason());
        breakers.wrote(state);
        metrics.breakerChanged(state);
        context.forward(new Record<>(state.breaker(), state, nowMs), OrchestratorTopology.BREAKERS_SINK);
    }

    /**
     * Tells the breaker monitor the attempt outcomes of a transition (a completed stage, a retryable failure or
     * timeout) and writes the breaker state they lead to; keeps the held-jobs index in step.
     */
    private void observeBreakers(String jobId, JobState after, Transition transition, long nowMs) {
        breakers.track(jobId, after);
        if (after == null || after.pipeline() == null) {
            return;
        }
        for (JobEvent event : transition.events()) {
            String stageName;
            boolean failed;
            String detail;
            if (event instanceof JobEvent.StageCompleted completed) {
                stageName = completed.stage();
                failed = false;
                detail = null;
            } else if (event instanceof JobEvent.StageAttemptFailed attemptFailed && attemptFailed.retryable()) {
                stageName = attemptFailed.stage();
                failed = true;
                detail = attemptFailed.errorType() + ": " + attemptFailed.message();
            } else {
                continue;
            }
            Optional<StageDefinition> stage = stageOf(after.pipeline(), stageName);
            if (stage.isEmpty()) {
                continue;
            }
            String breaker = BreakerState.nameOf(after.pipeline(), stageName);
            breakerMonitor.onOutcome(after.pipeline(), stage.get(), jobId, failed, detail, breakers.stateOf(breaker),
                    Instant.ofEpochMilli(nowMs)).ifPresent(state -> writeBreaker(state, nowMs));
        }
        if (breakers.holdsAny()) {
            wakeUpBy(nowMs + BREAKER_CHECK_INTERVAL.toMillis(), nowMs);
        }
    }

    private Optional<StageDefinition> stageOf(String pipeline, String stage) {
        return catalog.pipeline(pipeline).flatMap(p -> p.stage(stage));
    }

    /** @return whether the timer changed anything */
    private boolean fire(Timer timer, long nowMs) {
        JobState before = states.get(timer.jobId());
        Transition transition = machine.apply(before, new Input.TimerFired(timer), Instant.ofEpochMilli(nowMs), random,
                breakers);
        if (transition.outputs().isEmpty()) {
            // Fired early or no longer relevant: the job keeps waiting for what its state says.
            if (before != null) {
                machine.pendingTimer(before).filter(p -> p.at().toEpochMilli() > nowMs)
                        .ifPresent(pending -> schedule(pending, nowMs));
            }
            return false;
        }
        if (timer.kind() == Timer.Kind.FORGET) {
            carryOut(timer.jobId(), before, transition, nowMs, null);
            return true;
        }
        String parent = before == null ? null : before.traceparent();
        Span span = spans.startForTimer(timer, parent);
        try (Scope ignored = span.makeCurrent()) {
            JobSpans.describe(span, transition);
            carryOut(timer.jobId(), before, transition, nowMs, JobSpans.traceparentOf(span, parent));
        } finally {
            span.end();
        }
        return true;
    }

    private void schedule(Output.ScheduleTimer pending, long nowMs) {
        long at = pending.at().toEpochMilli();
        if (pending.timer().kind() == Timer.Kind.FORGET) {
            at = ceilTo(at, FORGET_GRANULARITY_MS);
        }
        timers.put(pending.timer(), at);
        wakeUpBy(at, nowMs);
    }

    /** Makes sure a punctuation runs by {@code dueMs}; one scheduled earlier already does. */
    private void wakeUpBy(long dueMs, long nowMs) {
        if (wakeUp != null && wakeUpAtMs <= dueMs) {
            return;
        }
        cancelWakeUp();
        long delayMs = Math.max(1, dueMs - nowMs);
        // Kafka Streams punctuations repeat; each of these cancels itself when it fires, so none outlives its use.
        Cancellable[] self = new Cancellable[1];
        self[0] = context.schedule(Duration.ofMillis(delayMs), PunctuationType.WALL_CLOCK_TIME, firedAtMs -> {
            self[0].cancel();
            onWakeUp(firedAtMs);
        });
        wakeUp = self[0];
        wakeUpAtMs = nowMs + delayMs;
    }

    private void cancelWakeUp() {
        if (wakeUp != null) {
            wakeUp.cancel();
            wakeUp = null;
        }
        wakeUpAtMs = Long.MAX_VALUE;
    }

    /** The commit policy of the current stream thread, shared by its tasks because they commit together. */
    private CommitPolicy commits() {
        CommitPolicy policy = COMMIT_POLICIES.get();
        if (policy == null || !policy.follows(settings.commitGap(), settings.commitQuiet())) {
            policy = new CommitPolicy(settings.commitGap(), settings.commitQuiet());
            COMMIT_POLICIES.set(policy);
        }
        return policy;
    }

    private static long ceilTo(long millis, long granularity) {
        return Math.floorDiv(millis + granularity - 1, granularity) * granularity;
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
            Output.ScheduleTimer lastScheduled = null;
            StageRequested tooLarge = null;
            int tooLargeBytes = 0;
            for (Output output : transition.outputs()) {
                if (output instanceof Output.EmitJobEvent emit) {
                    log(emit.event());
                    context.forward(new Record<>(jobId, emit.event(), nowMs, traceHeaders(traceparent)),
                            OrchestratorTopology.JOB_EVENTS_SINK);
                } else if (output instanceof Output.DispatchStage dispatch) {
                    // Encoded once: measured here, and these bytes are what the sink writes.
                    byte[] json = REQUEST_SERDE.toBytes(dispatch.request());
                    if (json.length > settings.maxRequestBytes()) {
                        tooLarge = dispatch.request();
                        tooLargeBytes = json.length;
                        continue;
                    }
                    context.forward(new Record<>(jobId, new EncodedStageRequest(dispatch.request(), json), nowMs,
                            traceHeaders(traceparent)), OrchestratorTopology.STAGE_REQUESTS_SINK);
                } else if (output instanceof Output.ScheduleTimer schedule) {
                    lastScheduled = schedule;
                } else if (output instanceof Output.ForgetJob forget) {
                    states.delete(forget.jobId());
                    timers.remove(forget.jobId());
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
            if (lastScheduled != null) {
                // A job waits for one timer at a time: the latest one scheduled replaces any earlier.
                schedule(lastScheduled, nowMs);
            }
            meters.timersPending(timers.size());
            observeBreakers(jobId, transition.state(), transition, nowMs);
            if (tooLarge != null) {
                refuseTooLarge(jobId, after, tooLarge, tooLargeBytes, nowMs, traceparent);
            }
        }
    }

    /**
     * A stage request Kafka would refuse (under exactly-once that aborts the whole transaction, and the retried
     * one meets the same record: the partition would stall) is not sent; the attempt fails at once, not retryably,
     * so the job ends FAILED with the reason in its own history, and every other job goes on.
     */
    private void refuseTooLarge(String jobId, JobState state, StageRequested request, int bytes, long nowMs,
                                String traceparent) {
        Instant now = Instant.ofEpochMilli(nowMs);
        String message = "the request for stage " + request.stage() + " is " + bytes + " bytes, more than the "
                + settings.maxRequestBytes() + " a record may have: the payload and the outputs of the earlier stages"
                + " are too large to send";
        LOG.warn("job {}: {}", jobId, message);
        StageResult failed = new StageResult.StageFailed(EventIds.newEventId(), jobId, now, request.stage(),
                request.attempt(), now, 0, REQUEST_TOO_LARGE, message, false);
        carryOut(jobId, state, machine.apply(state, new Input.ResultReceived(failed), now, random, breakers), nowMs,
                traceparent);
    }

    private static void log(JobEvent event) {
        if (event instanceof JobEvent.JobAccepted accepted) {
            LOG.info("job accepted: pipeline {}, stages {}", accepted.pipeline(), accepted.stages());
        } else if (event instanceof JobEvent.JobCompleted) {
            LOG.info("job completed");
        } else if (event instanceof JobEvent.JobFailed failed) {
            LOG.warn("job failed at stage {}: {}: {}", failed.stage(), failed.errorType(), failed.message());
        } else if (event instanceof JobEvent.JobReplayed replayed) {
            LOG.info("job replayed ({}) from stage {} by {}: {}", replayed.replayId(), replayed.fromStage(),
                    replayed.requestedBy(), replayed.reason());
        } else if (event instanceof JobEvent.ReplayRefused refused) {
            LOG.warn("replay {} refused: {}", refused.replayId(), refused.why());
        } else if (event instanceof JobEvent.JobCancelled cancelled) {
            LOG.info("job cancelled by {}: {}", cancelled.requestedBy(), cancelled.reason());
        } else if (event instanceof JobEvent.JobHeld jobHeld) {
            LOG.info("job held at stage {}: {}", jobHeld.stage(), jobHeld.reason());
        } else if (event instanceof JobEvent.JobReleased released) {
            LOG.info("job released at stage {}{}: {}", released.stage(), released.probe() ? " as the probe" : "",
                    released.reason());
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
