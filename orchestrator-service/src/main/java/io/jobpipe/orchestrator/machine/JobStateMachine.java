package io.jobpipe.orchestrator.machine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.breaker.BreakerState;
import io.jobpipe.core.event.EventIds;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.event.JobStatus;
import io.jobpipe.core.event.OpsCommand;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.json.JsonMergePatch;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineDefinition;
import io.jobpipe.core.pipeline.StageDefinition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The job state machine: {@code (state, input) -> (state', outputs)}, a pure function of its arguments
 * (time and randomness come in as arguments, event ids from the injected supplier).
 * A job runs its pipeline's stages in order; a failed attempt is retried after a backoff timer (never a
 * sleep, so no other job waits), a non-retryable failure fails the job, and a stage out of attempts is
 * dead-lettered. An operator may replay a dead-lettered job (at its stage or an earlier one, with a fresh attempt
 * budget and optionally a patched payload) a bounded number of times, and may cancel any job that has not
 * finished; commands that cannot apply change nothing. A timeout is an ordinary retryable failure under the stage's policy. Results that do not belong
 * to the in-flight attempt are recorded and ignored. A finished job is remembered for {@code finishedJobRetention}
 * (duplicate requests and late results are recognised that long), then forgotten.
 * <p>A job waits for at most one timer at a time, and that timer follows from its state alone
 * ({@link #pendingTimer}): timers need not be stored, they are recomputed after a restart.
 */
public final class JobStateMachine {
    /** errorType of the JobFailed of a job no route sends to a pipeline. */
    public static final String NO_PIPELINE = "NoPipeline";
    /** errorType of a job whose pipeline (or stage) vanished from the catalog while it ran. */
    public static final String PIPELINE_NOT_FOUND = "PipelineNotFound";
    /** errorType of an attempt that neither reported nor heartbeated before its deadline. */
    public static final String STAGE_TIMEOUT = "StageTimeout";

    /** How long a finished job is remembered unless configured otherwise. */
    public static final Duration DEFAULT_FINISHED_JOB_RETENTION = MachineLimits.DEFAULT.finishedJobRetention();
    /** Replay ids a job remembers beyond its allowed replays (refused ones count too). */
    private static final int REPLAY_IDS_KEPT = 32;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final PipelineCatalog catalog;
    private final Function<String, String> deadLetterTopicOfStage;
    private final Supplier<String> eventIds;
    private final MachineLimits limits;

    /**
     * @param deadLetterTopicOfStage the dead-letter topic name of a stage, named in JobDeadLettered
     */
    public JobStateMachine(PipelineCatalog catalog, Function<String, String> deadLetterTopicOfStage) {
        this(catalog, deadLetterTopicOfStage, EventIds::newEventId);
    }

    public JobStateMachine(PipelineCatalog catalog, Function<String, String> deadLetterTopicOfStage,
                           Supplier<String> eventIds) {
        this(catalog, deadLetterTopicOfStage, eventIds, DEFAULT_FINISHED_JOB_RETENTION);
    }

    /** @param finishedJobRetention how long a finished job's state is kept after it ended */
    public JobStateMachine(PipelineCatalog catalog, Function<String, String> deadLetterTopicOfStage,
                           Supplier<String> eventIds, Duration finishedJobRetention) {
        this(catalog, deadLetterTopicOfStage, eventIds,
                MachineLimits.DEFAULT.withFinishedJobRetention(Objects.requireNonNull(finishedJobRetention)));
    }

    public JobStateMachine(PipelineCatalog catalog, Function<String, String> deadLetterTopicOfStage,
                           Supplier<String> eventIds, MachineLimits limits) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.deadLetterTopicOfStage = Objects.requireNonNull(deadLetterTopicOfStage, "deadLetterTopicOfStage");
        this.eventIds = Objects.requireNonNull(eventIds, "eventIds");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** How long a job that ended with {@code status} is remembered: a dead letter as long as it can be replayed. */
    private Duration retentionOf(JobStatus status) {
        return status == JobStatus.DEAD_LETTERED ? limits.deadLetterRetention() : limits.finishedJobRetention();
    }

    /**
     * The timer {@code state} waits for, as the transition that produced the state scheduled it: the in-flight
     * attempt's deadline, the due retry, or the end of a finished job's retention. Empty for a job that waits for
     * nothing. Lets the caller rebuild its timers from the stored states instead of storing them.
     */
    public Optional<Output.ScheduleTimer> pendingTimer(JobState state) {
        return pendingTimer(state, null);
    }

    /**
     * {@link #pendingTimer} after a restart at {@code restartedAt}: an attempt whose deadline passed (or nearly
     * passed) while the orchestrator was down gets until {@code restartedAt + grace}, so the results its workers
     * sent meanwhile are read before it counts as timed out; an outage is not the attempt's fault. A finished job
     * stored without its end time is kept for the retention from the restart.
     */
    public Optional<Output.ScheduleTimer> timerAfterRestart(JobState state, Instant restartedAt, Duration grace) {
        Objects.requireNonNull(restartedAt, "restartedAt");
        Objects.requireNonNull(grace, "grace");
        return pendingTimer(state, restartedAt).map(pending -> {
            Instant earliest = restartedAt.plus(grace);
            boolean attemptTimeout = pending.timer().kind() == Timer.Kind.ATTEMPT_TIMEOUT;
            return attemptTimeout && pending.at().isBefore(earliest)
                    ? new Output.ScheduleTimer(pending.timer(), earliest) : pending;
        });
    }

    private Optional<Output.ScheduleTimer> pendingTimer(JobState state, Instant restartedAt) {
        Objects.requireNonNull(state, "state");
        if (state.status().terminal()) {
            Instant ended = state.endedAt() != null ? state.endedAt() : restartedAt;
            return ended == null ? Optional.empty()
                    : Optional.of(new Output.ScheduleTimer(Timer.forget(state.jobId()),
                    ended.plus(retentionOf(state.status()))));
        }
        if (state.phase() == AttemptPhase.IN_FLIGHT && state.deadline() != null) {
            return Optional.of(new Output.ScheduleTimer(new Timer(state.jobId(), Timer.Kind.ATTEMPT_TIMEOUT,
                    state.stage(), state.attempt()), state.deadline()));
        }
        if (state.phase() == AttemptPhase.WAITING_FOR_RETRY && state.nextAttemptAt() != null) {
            return Optional.of(new Output.ScheduleTimer(new Timer(state.jobId(), Timer.Kind.RETRY_DUE,
                    state.stage(), state.attempt()), state.nextAttemptAt()));
        }
        return Optional.empty();
    }

    /** {@link #apply(JobState, Input, Instant, DoubleSupplier, BreakerView)} with every breaker closed. */
    public Transition apply(JobState stateOrNull, Input input, Instant now, DoubleSupplier random) {
        return apply(stateOrNull, input, now, random, BreakerView.ALL_CLOSED);
    }

    /**
     * The transition of the job in {@code stateOrNull} (null: not known) on {@code input}.
     *
     * @param breakers the circuit breakers now: a dispatch of a stage whose breaker is open is held instead
     */
    public Transition apply(JobState stateOrNull, Input input, Instant now, DoubleSupplier random,
                            BreakerView breakers) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(breakers, "breakers");
        if (input instanceof Input.Requested requested) {
            return onRequested(stateOrNull, requested, new Clock(now, breakers));
        }
        if (stateOrNull == null) {
            // A result or timer for a job this partition never saw: nothing to record it against.
            return Transition.nothing(null);
        }
        Clock clock = new Clock(now, breakers);
        if (input instanceof Input.ResultReceived received) {
            return onResult(stateOrNull, received.result(), clock, random);
        }
        if (input instanceof Input.TimerFired fired) {
            return onTimer(stateOrNull, fired.timer(), clock, random);
        }
        if (input instanceof Input.CommandReceived received) {
            return onCommand(stateOrNull, received.command(), clock);
        }
        if (input instanceof Input.Release release) {
            return onRelease(stateOrNull, release, clock);
        }
        throw new IllegalArgumentException("unknown input " + input.getClass().getName());
    }

    private Transition onRequested(JobState state, Input.Requested requested, Clock clock) {
        if (state != null) {
            return Transition.nothing(state);
        }
        Instant now = clock.now();
        JobRequested request = requested.request();
        Step step = new Step(new JobState.Builder(request.jobId(), request.connection(), request.eventType(),
                request.deliveryId(), request.requestId(), request.payload(), requested.traceparent(),
                NODES.objectNode()), clock);
        Optional<PipelineDefinition> routed = catalog.route(request.connection(), request.eventType());
        if (routed.isEmpty()) {
            step.emit(new JobEvent.JobAccepted(eventIds.get(), request.jobId(), now, step.nextSeq(),
                    request.connection(), request.deliveryId(), request.eventType(), request.requestId(),
                    null, List.of()));
            step.state.status(JobStatus.FAILED);
            step.emit(new JobEvent.JobFailed(eventIds.get(), request.jobId(), now, step.nextSeq(), null, NO_PIPELINE,
                    "no pipeline is routed for connection '" + request.connection() + "' and event type '"
                            + request.eventType() + "'"));
            return step.done();
        }
        PipelineDefinition pipeline = routed.get();
        step.state.pipeline(pipeline.name());
        step.emit(new JobEvent.JobAccepted(eventIds.get(), request.jobId(), now, step.nextSeq(),
                request.connection(), request.deliveryId(), request.eventType(), request.requestId(),
                pipeline.name(), pipeline.stageNames()));
        dispatch(step, pipeline, 0, step.state.attemptBase() + 1);
        return step.done();
    }

    private Transition onResult(JobState state, StageResult result, Clock clock, DoubleSupplier random) {
        Instant now = clock.now();
        if (!state.isInFlight(result.stage(), result.attempt())) {
            Step step = new Step(state.toBuilder(), clock);
            step.emit(new JobEvent.LateResultIgnored(eventIds.get(), state.jobId(), now, step.nextSeq(),
                    result.stage(), result.attempt(), result.getClass().getSimpleName(), whyNotCurrent(state, result)));
            return step.done();
        }
        Step step = new Step(state.toBuilder(), clock);
        Optional<PipelineDefinition> pipeline = catalog.pipeline(state.pipeline());
        Optional<StageDefinition> stage = pipeline.flatMap(p -> p.stage(state.stage()));
        if (stage.isEmpty()) {
            return failForMissingPipeline(step);
        }
        if (result instanceof StageResult.StageSucceeded succeeded) {
            onSucceeded(step, pipeline.get(), succeeded);
        } else if (result instanceof StageResult.StageFailed failed) {
            onAttemptFailed(step, stage.get(), new AttemptFailure(failed.errorType(), failed.message(),
                    failed.retryable(), orElse(failed.startedAt(), state.attemptStartedAt()), failed.durationMs(),
                    failed.retryAfterMs() == null ? null : Duration.ofMillis(failed.retryAfterMs()), failed.log()),
                    random);
        } else if (result instanceof StageResult.StageHeartbeat heartbeat) {
            Instant deadline = now.plus(stage.get().timeout());
            step.state.deadline(deadline);
            // Watchers see the agent is alive and how far it got (seed 002: long stages that looked dead).
            step.emit(new JobEvent.StageProgress(eventIds.get(), state.jobId(), now, step.nextSeq(), state.stage(),
                    state.attempt(), heartbeat.message(), deadline));
            step.outputs.add(new Output.ScheduleTimer(
                    new Timer(state.jobId(), Timer.Kind.ATTEMPT_TIMEOUT, state.stage(), state.attempt()), deadline));
        } else {
            throw new IllegalArgumentException("unknown result " + result.getClass().getName());
        }
        return step.done();
    }

    private void onSucceeded(Step step, PipelineDefinition pipeline, StageResult.StageSucceeded succeeded) {
        JobState.Builder state = step.state;
        JsonNode output = succeeded.output() == null ? NullNode.getInstance() : succeeded.output();
        step.emit(new JobEvent.StageCompleted(eventIds.get(), state.jobId(), step.now, step.nextSeq(),
                state.stage(), state.attempt(), orElse(succeeded.startedAt(), state.attemptStartedAt()),
                succeeded.durationMs(), succeeded.summary(), output, succeeded.log()));
        // Copied, never mutated in place: the previous state may still be referenced by the caller.
        ObjectNode outputs = state.outputs().deepCopy();
        outputs.set(state.stage(), output);
        state.outputs(outputs);
        int next = pipeline.indexOf(state.stage()) + 1;
        if (next < pipeline.stages().size()) {
            dispatch(step, pipeline, next, state.attemptBase() + 1);
        } else {
            state.status(JobStatus.COMPLETED).noAttempt();
            step.emit(new JobEvent.JobCompleted(eventIds.get(), state.jobId(), step.now, step.nextSeq()));
        }
    }

    private Transition onTimer(JobState state, Timer timer, Clock clock, DoubleSupplier random) {
        Instant now = clock.now();
        if (timer.kind() == Timer.Kind.FORGET) {
            return onForgetTimer(state, now);
        }
        boolean retryDue = timer.kind() == Timer.Kind.RETRY_DUE
                && state.isWaitingForRetry(timer.stage(), timer.attempt());
        boolean timedOut = timer.kind() == Timer.Kind.ATTEMPT_TIMEOUT
                && state.isInFlight(timer.stage(), timer.attempt())
                && !now.isBefore(state.deadline());
        if (!retryDue && !timedOut) {
            return Transition.nothing(state);
        }
        Step step = new Step(state.toBuilder(), clock);
        Optional<PipelineDefinition> pipeline = catalog.pipeline(state.pipeline());
        Optional<StageDefinition> stage = pipeline.flatMap(p -> p.stage(state.stage()));
        if (stage.isEmpty()) {
            return failForMissingPipeline(step);
        }
        if (retryDue) {
            dispatch(step, pipeline.get(), pipeline.get().indexOf(state.stage()), state.attempt() + 1);
        } else {
            onAttemptFailed(step, stage.get(), new AttemptFailure(STAGE_TIMEOUT,
                    "attempt " + state.attempt() + " of stage " + state.stage() + " sent no result or heartbeat within "
                            + stage.get().timeout(),
                    true, state.attemptStartedAt(), Duration.between(state.attemptStartedAt(), now).toMillis(), null,
                    null), random);
        }
        return step.done();
    }

    private Transition onForgetTimer(JobState state, Instant now) {
        boolean retentionOver = state.status().terminal()
                && (state.endedAt() == null || !now.isBefore(state.endedAt().plus(retentionOf(state.status()))));
        return retentionOver
                ? new Transition(null, List.of(new Output.ForgetJob(state.jobId())))
                : Transition.nothing(state);
    }

    /**
     * How an attempt ended without success: a worker's StageFailed, or a timeout the orchestrator saw.
     *
     * @param retryAfter the least wait the agent asked for (HTTP {@code Retry-After}), or null
     * @param log        the tail of what the agent logged, or null (a timeout with no word from the worker has none)
     */
    private record AttemptFailure(String errorType, String message, boolean agentSaysRetryable, Instant startedAt,
                                  long durationMs, Duration retryAfter, String log) {
    }

    private void onAttemptFailed(Step step, StageDefinition stage, AttemptFailure failure, DoubleSupplier random) {
        String errorType = failure.errorType();
        String message = failure.message();
        JobState.Builder state = step.state;
        Instant now = step.now;
        int attempt = state.attempt();
        // The budget counts the attempts since the latest replay; the numbers themselves go on.
        int attemptInRound = attempt - state.attemptBase();
        state.failed(new StageFailure(errorType, message, now));
        boolean retryable = stage.retry().isRetryable(errorType, failure.agentSaysRetryable());
        if (retryable && stage.retry().allowsRetryAfter(attemptInRound)) {
            Instant nextAttemptAt = now.plus(stage.retry().delayFor(attemptInRound, random, failure.retryAfter()));
            step.emit(new JobEvent.StageAttemptFailed(eventIds.get(), state.jobId(), now, step.nextSeq(),
                    stage.name(), attempt, failure.startedAt(), failure.durationMs(), errorType, message, true,
                    nextAttemptAt, failure.log()));
            state.waitingForRetry(nextAttemptAt);
            step.outputs.add(new Output.ScheduleTimer(
                    new Timer(state.jobId(), Timer.Kind.RETRY_DUE, stage.name(), attempt), nextAttemptAt));
            return;
        }
        step.emit(new JobEvent.StageAttemptFailed(eventIds.get(), state.jobId(), now, step.nextSeq(),
                stage.name(), attempt, failure.startedAt(), failure.durationMs(), errorType, message, retryable, null,
                failure.log()));
        state.noAttempt();
        if (!retryable) {
            state.status(JobStatus.FAILED);
            step.emit(new JobEvent.JobFailed(eventIds.get(), state.jobId(), now, step.nextSeq(),
                    stage.name(), errorType, message));
            return;
        }
        state.status(JobStatus.DEAD_LETTERED);
        step.emit(new JobEvent.JobDeadLettered(eventIds.get(), state.jobId(), now, step.nextSeq(),
                stage.name(), attemptInRound, errorType, message, deadLetterTopicOfStage.apply(stage.name())));
        step.outputs.add(new Output.DeadLetter(stageRequest(state, stage, state.requestEventId(),
                state.attemptStartedAt(), state.deadline()), errorType, message, attemptInRound, state.firstFailureAt(),
                now));
    }

    private Transition onCommand(JobState state, OpsCommand command, Clock clock) {
        if (command instanceof OpsCommand.ReplayJob replay) {
            return onReplay(state, replay, clock);
        }
        if (command instanceof OpsCommand.CancelJob cancel) {
            return onCancel(state, cancel, clock);
        }
        throw new IllegalArgumentException("unknown command " + command.getClass().getName());
    }

    /**
     * A dead-lettered job runs again from the chosen stage (default: the one it died at) with a fresh budget; the
     * outputs of that stage and every later one are dropped, since they are produced again. A replay id is taken
     * once; a replay the job cannot take is refused with the reason, and one past the cap parks the job.
     */
    private Transition onReplay(JobState state, OpsCommand.ReplayJob replay, Clock clock) {
        Instant now = clock.now();
        Step step = new Step(state.toBuilder(), clock);
        if (step.state.hasSeenReplay(replay.replayId())) {
            return Transition.nothing(state);
        }
        step.state.replayIdSeen(replay.replayId(), REPLAY_IDS_KEPT);
        Optional<PipelineDefinition> pipeline = catalog.pipeline(state.pipeline());
        String fromStage = replay.fromStage() != null ? replay.fromStage() : state.stage();
        String refusal = null;
        boolean parked = false;
        if (state.status() != JobStatus.DEAD_LETTERED) {
            refusal = "the job is " + state.status() + "; only a DEAD_LETTERED job can be replayed";
        } else if (state.replays() >= limits.maxReplaysPerJob()) {
            parked = true;
            refusal = "the job was replayed " + state.replays() + " times, the most allowed (max-replays-per-job "
                    + limits.maxReplaysPerJob() + "): it is parked; cancel it, or fix the cause and raise the cap";
        } else if (pipeline.isEmpty()) {
            refusal = "pipeline '" + state.pipeline() + "' is no longer in the catalog";
        } else if (pipeline.get().indexOf(fromStage) < 0 || pipeline.get().indexOf(fromStage) > state.stageIndex()) {
            refusal = "stage '" + fromStage + "' is not a stage of pipeline '" + state.pipeline()
                    + "' at or before the dead-lettered stage '" + state.stage() + "'";
        }
        if (refusal != null) {
            step.emit(new JobEvent.ReplayRefused(eventIds.get(), state.jobId(), now, step.nextSeq(), replay.replayId(),
                    replay.requestedBy(), replay.reason(), replay.filter(), refusal, parked));
            return step.done();
        }
        int fromIndex = pipeline.get().indexOf(fromStage);
        ObjectNode keptOutputs = state.outputs().deepCopy();
        pipeline.get().stageNames().subList(fromIndex, pipeline.get().stages().size()).forEach(keptOutputs::remove);
        JsonNode payload = replay.inputPatch() == null ? state.payload()
                : JsonMergePatch.apply(state.payload(), replay.inputPatch());
        step.state.replayed(payload, keptOutputs);
        step.emit(new JobEvent.JobReplayed(eventIds.get(), state.jobId(), now, step.nextSeq(), replay.replayId(),
                step.state.replays(), replay.requestedBy(), replay.reason(), replay.filter(), state.stage(), fromStage,
                replay.inputPatch() != null, replay.inputPatch()));
        dispatch(step, pipeline.get(), fromIndex, step.state.attemptBase() + 1);
        return step.done();
    }

    /**
     * A job that has not finished (a dead letter included) ends CANCELLED: nothing more is dispatched, its timer
     * finds nothing to do, and a result still in flight becomes LateResultIgnored. A finished job stays as it is.
     */
    private Transition onCancel(JobState state, OpsCommand.CancelJob cancel, Clock clock) {
        Instant now = clock.now();
        if (state.status().terminal() && state.status() != JobStatus.DEAD_LETTERED) {
            return Transition.nothing(state);
        }
        Step step = new Step(state.toBuilder(), clock);
        // A held attempt was never sent: no attempt of the stage was under way.
        boolean attemptOpen = state.phase() == AttemptPhase.IN_FLIGHT || state.phase() == AttemptPhase.WAITING_FOR_RETRY;
        // A cancelled dead letter ends now: it is kept for the finished-job retention from here, not the 7 days.
        step.state.status(JobStatus.CANCELLED).noAttempt().endedAtCleared();
        step.emit(new JobEvent.JobCancelled(eventIds.get(), state.jobId(), now, step.nextSeq(), cancel.requestedBy(),
                cancel.reason(), cancel.filter(), state.stage(), attemptOpen ? state.attempt() : 0,
                state.status().name()));
        return step.done();
    }

    /**
     * A job held by {@code release.breaker()} goes on with the attempt it was held at; anything else (a job no longer
     * held, held by another breaker, or gone) is left as it is.
     */
    private Transition onRelease(JobState state, Input.Release release, Clock clock) {
        if (!state.isHeldBy(release.breaker())) {
            return Transition.nothing(state);
        }
        Step step = new Step(state.toBuilder(), clock);
        Optional<PipelineDefinition> pipeline = catalog.pipeline(state.pipeline());
        if (pipeline.isEmpty() || pipeline.get().indexOf(state.stage()) < 0) {
            return failForMissingPipeline(step);
        }
        step.emit(new JobEvent.JobReleased(eventIds.get(), state.jobId(), clock.now(), step.nextSeq(), state.stage(),
                release.breaker(), release.probe(), release.reason()));
        send(step, pipeline.get(), pipeline.get().indexOf(state.stage()), state.attempt());
        return step.done();
    }

    /** Dispatches {@code attempt} of the stage at {@code index}, unless the stage's breaker holds it. */
    private void dispatch(Step step, PipelineDefinition pipeline, int index, int attempt) {
        StageDefinition stage = pipeline.stage(index);
        BreakerState breaker = step.clock.breakers().holding(BreakerState.nameOf(pipeline.name(), stage.name()));
        if (breaker != null) {
            hold(step, stage, index, attempt, breaker);
        } else {
            send(step, pipeline, index, attempt);
        }
    }

    /** Nothing is sent and no attempt is spent: the job waits, HELD, for the processor to release it. */
    private void hold(Step step, StageDefinition stage, int index, int attempt, BreakerState breaker) {
        JobState.Builder state = step.state;
        state.status(JobStatus.HELD).held(stage.name(), index, attempt);
        step.emit(new JobEvent.JobHeld(eventIds.get(), state.jobId(), step.now, step.nextSeq(), stage.name(), attempt,
                breaker.breaker(), "circuit breaker " + breaker.breaker() + " is " + breaker.status() + " since "
                        + breaker.since() + (breaker.reason() == null ? "" : ": " + breaker.reason())));
    }

    private void send(Step step, PipelineDefinition pipeline, int index, int attempt) {
        JobState.Builder state = step.state;
        StageDefinition stage = pipeline.stage(index);
        Instant deadline = step.now.plus(stage.timeout());
        String requestEventId = eventIds.get();
        state.status(JobStatus.RUNNING).attemptInFlight(stage.name(), index, attempt, requestEventId, step.now, deadline);
        StageRequested request = stageRequest(state, stage, requestEventId, step.now, deadline);
        step.emit(new JobEvent.StageDispatched(eventIds.get(), state.jobId(), step.now, step.nextSeq(),
                stage.name(), index, attempt, deadline));
        step.outputs.add(new Output.DispatchStage(request));
        step.outputs.add(new Output.ScheduleTimer(
                new Timer(state.jobId(), Timer.Kind.ATTEMPT_TIMEOUT, stage.name(), attempt), deadline));
    }

    /** The request of the builder's current attempt; rebuilt identically for the dead-letter topic. */
    private static StageRequested stageRequest(JobState.Builder state, StageDefinition stage, String eventId,
                                               Instant occurredAt, Instant deadline) {
        ObjectNode input = NODES.objectNode();
        input.put("connection", state.connection());
        input.put("eventType", state.eventType());
        input.put("deliveryId", state.deliveryId());
        input.set("payload", state.payload());
        input.set("outputs", state.outputs().deepCopy());
        return new StageRequested(eventId, state.jobId(), occurredAt, state.pipeline(), stage.name(),
                state.stageIndex(), state.attempt(), stage.agent(), input, deadline);
    }

    private Transition failForMissingPipeline(Step step) {
        JobState.Builder state = step.state;
        state.status(JobStatus.FAILED).noAttempt();
        step.emit(new JobEvent.JobFailed(eventIds.get(), state.jobId(), step.now, step.nextSeq(), state.stage(),
                PIPELINE_NOT_FOUND, "pipeline '" + state.pipeline() + "' or its stage '" + state.stage()
                        + "' is no longer in the catalog"));
        return step.done();
    }

    private static String whyNotCurrent(JobState state, StageResult result) {
        if (state.status().terminal()) {
            return "job is already " + state.status();
        }
        if (state.status() == JobStatus.HELD) {
            return "the job is held at stage " + state.stage() + " by its circuit breaker; no attempt is under way";
        }
        if (state.stage() == null || !state.stage().equals(result.stage())) {
            return "stage " + result.stage() + " is not the current stage (current: " + state.stage() + ")";
        }
        if (result.attempt() != state.attempt()) {
            return "attempt " + result.attempt() + " is not the current attempt (current: " + state.attempt() + ")";
        }
        return "attempt " + result.attempt() + " already failed; a retry is scheduled";
    }

    private static <T> T orElse(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** The moment a transition is worked out at: the time, and the breakers as they are then. */
    private record Clock(Instant now, BreakerView breakers) {
    }

    /** The state and outputs of one transition while it is being worked out. */
    private final class Step {
        final JobState.Builder state;
        final Clock clock;
        final Instant now;
        final List<Output> outputs = new ArrayList<>();

        Step(JobState.Builder state, Clock clock) {
            this.state = state;
            this.clock = clock;
            this.now = clock.now();
        }

        long nextSeq() {
            return state.nextSeq();
        }

        void emit(JobEvent event) {
            outputs.add(new Output.EmitJobEvent(event));
        }

        /** The transition; a job that ends here starts its retention, which ends with a FORGET timer. */
        Transition done() {
            boolean endsNow = state.status().terminal() && state.endedAt() == null;
            state.endedAtIfTerminal(now);
            if (endsNow) {
                outputs.add(new Output.ScheduleTimer(Timer.forget(state.jobId()), now.plus(retentionOf(state.status()))));
            }
            return new Transition(state.build(), outputs);
        }
    }
}
