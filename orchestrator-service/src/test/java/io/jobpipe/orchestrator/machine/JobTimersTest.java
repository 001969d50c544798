package io.jobpipe.orchestrator.machine;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobStatus;
import io.jobpipe.core.pipeline.PipelineCatalogLoader;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.jobpipe.orchestrator.machine.JobStateMachineTest.ID;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.JOB;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.NO_JITTER;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.PIPELINES;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.T0;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.TIMEOUT;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.failed;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.heartbeat;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.requested;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.result;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.succeeded;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.timer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Timers as the state machine defines them: one per job, recomputable from its state (so they need not be stored),
 * stretched by the restart grace after an outage, and the retention after which a finished job is forgotten.
 */
class JobTimersTest {
    static final Duration RETENTION = Duration.ofMinutes(10);
    static final Duration GRACE = Duration.ofSeconds(5);

    final JobStateMachine machine = new JobStateMachine(PIPELINES, stage -> "dlq." + stage, () -> ID, RETENTION);

    @Test
    void shouldRecomputeFromEachStateTheTimerItsTransitionScheduled() {
        List<Transition> run = new ArrayList<>();
        run.add(machine.apply(null, requested("github"), T0, NO_JITTER));
        run.add(machine.apply(last(run), result(heartbeat("fetch", 1)), T0.plusSeconds(3), NO_JITTER));
        run.add(machine.apply(last(run), result(failed("fetch", 1, "HttpTimeout", true)), T0.plusSeconds(4), NO_JITTER));
        run.add(machine.apply(last(run), timer(Timer.Kind.RETRY_DUE, "fetch", 1), T0.plusSeconds(5), NO_JITTER));
        run.add(machine.apply(last(run), result(succeeded("fetch", 2)), T0.plusSeconds(6), NO_JITTER));
        run.add(machine.apply(last(run), result(succeeded("store", 1)), T0.plusSeconds(7), NO_JITTER));

        for (Transition t : run) {
            Output.ScheduleTimer scheduled = t.outputs().stream().filter(Output.ScheduleTimer.class::isInstance)
                    .map(Output.ScheduleTimer.class::cast).reduce((a, b) -> b).orElseThrow();
            assertThat(machine.pendingTimer(t.state())).as(t.events().toString()).contains(scheduled);
        }
        assertThat(machine.pendingTimer(last(run)))
                .contains(new Output.ScheduleTimer(Timer.forget(JOB), T0.plusSeconds(7).plus(RETENTION)));
    }

    @Test
    void shouldGiveAttemptWhoseDeadlinePassedDuringOutageTheRestartGrace() {
        JobState fetching = machine.apply(null, requested("github"), T0, NO_JITTER).state();
        Instant restartedAt = T0.plusSeconds(60);

        assertThat(machine.timerAfterRestart(fetching, restartedAt, GRACE)).contains(new Output.ScheduleTimer(
                new Timer(JOB, Timer.Kind.ATTEMPT_TIMEOUT, "fetch", 1), restartedAt.plus(GRACE)));
        Transition resultWithinGrace = machine.apply(fetching, result(succeeded("fetch", 1)),
                restartedAt.plusSeconds(2), NO_JITTER);
        assertThat(resultWithinGrace.events()).extracting(e -> e.getClass().getSimpleName())
                .as("the interrupted attempt still counts").containsExactly("StageCompleted", "StageDispatched");
    }

    @Test
    void shouldKeepDeadlineLaterThanTheRestartGrace() {
        JobState fetching = machine.apply(null, requested("github"), T0, NO_JITTER).state();

        assertThat(machine.timerAfterRestart(fetching, T0.plusSeconds(1), GRACE)).contains(new Output.ScheduleTimer(
                new Timer(JOB, Timer.Kind.ATTEMPT_TIMEOUT, "fetch", 1), T0.plus(TIMEOUT)));
    }

    @Test
    void shouldFireRetryThatFellDueDuringOutageAtOnce() {
        JobState fetching = machine.apply(null, requested("github"), T0, NO_JITTER).state();
        JobState waiting = machine.apply(fetching, result(failed("fetch", 1, "HttpTimeout", true)), T0, NO_JITTER).state();

        assertThat(machine.timerAfterRestart(waiting, T0.plusSeconds(60), GRACE)).contains(new Output.ScheduleTimer(
                new Timer(JOB, Timer.Kind.RETRY_DUE, "fetch", 1), waiting.nextAttemptAt()));
    }

    @Test
    void shouldRetryTimedOutValidateButFailInvalidPayloadAtOnceWithTheDefaultPipeline() {
        JobStateMachine defaults = new JobStateMachine(PipelineCatalogLoader.loadDefault(), stage -> "dlq." + stage,
                () -> ID, RETENTION);
        JobState validating = defaults.apply(null, requested("demo"), T0, NO_JITTER).state();
        Instant deadline = validating.deadline();

        Transition timedOut = defaults.apply(validating, timer(Timer.Kind.ATTEMPT_TIMEOUT, "validate", 1), deadline,
                NO_JITTER);
        Transition invalid = defaults.apply(validating,
                result(failed("validate", 1, "ValidationFailed", true)), T0.plusSeconds(1), NO_JITTER);

        assertThat(timedOut.events()).singleElement().isInstanceOfSatisfying(JobEvent.StageAttemptFailed.class,
                e -> assertThat(e.retryable()).as("a timeout is the infrastructure's failure").isTrue());
        assertThat(timedOut.state().phase()).isEqualTo(AttemptPhase.WAITING_FOR_RETRY);
        assertThat(invalid.events()).extracting(e -> e.getClass().getSimpleName())
                .as("ValidationFailed is non-retryable by policy, whatever the agent said")
                .containsExactly("StageAttemptFailed", "JobFailed");
        assertThat(invalid.state().status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void shouldForgetFinishedJobOnlyWhenItsRetentionIsOver() {
        Transition completed = completedAt(T0.plusSeconds(7));
        JobState done = completed.state();

        assertThat(done.endedAt()).isEqualTo(T0.plusSeconds(7));
        assertThat(machine.apply(done, new Input.TimerFired(Timer.forget(JOB)),
                done.endedAt().plus(RETENTION).minusMillis(1), NO_JITTER)).isEqualTo(Transition.nothing(done));
        assertThat(machine.apply(done, new Input.TimerFired(Timer.forget(JOB)), done.endedAt().plus(RETENTION),
                NO_JITTER)).isEqualTo(new Transition(null, List.of(new Output.ForgetJob(JOB))));
    }

    @Test
    void shouldNeverForgetRunningJob() {
        JobState fetching = machine.apply(null, requested("github"), T0, NO_JITTER).state();

        assertThat(machine.apply(fetching, new Input.TimerFired(Timer.forget(JOB)), T0.plus(Duration.ofDays(1)),
                NO_JITTER)).isEqualTo(Transition.nothing(fetching));
    }

    @Test
    void shouldKeepEndTimeAndRetentionWhenLateResultArrives() {
        JobState done = completedAt(T0.plusSeconds(7)).state();

        Transition late = machine.apply(done, result(succeeded("store", 1)), T0.plusSeconds(30), NO_JITTER);

        assertThat(late.state().endedAt()).isEqualTo(done.endedAt());
        assertThat(late.outputs()).noneMatch(Output.ScheduleTimer.class::isInstance);
        assertThat(machine.pendingTimer(late.state())).isEqualTo(machine.pendingTimer(done));
    }

    @Test
    void shouldKeepFinishedJobStoredWithoutEndTimeForTheRetentionFromRestart() {
        JobState done = completedAt(T0.plusSeconds(7)).state();
        JobState storedBeforeEndTimes = new JobState(done.jobId(), done.connection(), done.eventType(),
                done.deliveryId(), done.requestId(), done.pipeline(), done.status(), done.stage(), done.stageIndex(),
                done.attempt(), done.phase(), done.requestEventId(), done.attemptStartedAt(), done.deadline(),
                done.nextAttemptAt(), done.lastSeq(), done.payload(), done.outputs(), done.traceparent(),
                done.firstFailureAt(), done.lastFailure(), null, 0, 0, 0, null);
        Instant restartedAt = T0.plusSeconds(3600);

        assertThat(machine.pendingTimer(storedBeforeEndTimes)).isEmpty();
        assertThat(machine.timerAfterRestart(storedBeforeEndTimes, restartedAt, GRACE))
                .contains(new Output.ScheduleTimer(Timer.forget(JOB), restartedAt.plus(RETENTION)));
    }

    private Transition completedAt(Instant at) {
        JobState fetching = machine.apply(null, requested("github"), T0, NO_JITTER).state();
        JobState storing = machine.apply(fetching, result(succeeded("fetch", 1)), T0.plusSeconds(1), NO_JITTER).state();
        Transition completed = machine.apply(storing, result(succeeded("store", 1)), at, NO_JITTER);
        assertThat(completed.state().status()).isEqualTo(JobStatus.COMPLETED);
        return completed;
    }

    private static JobState last(List<Transition> run) {
        return run.get(run.size() - 1).state();
    }
}
