package io.jobpipe.orchestrator.machine;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobStatus;
import io.jobpipe.core.event.OpsCommand;
import io.jobpipe.core.event.StageRequested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.jobpipe.orchestrator.machine.JobStateMachineTest.JOB;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.NO_JITTER;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.PIPELINES;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.T0;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.failed;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.json;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.requested;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.result;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.succeeded;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.timer;
import static org.assertj.core.api.Assertions.assertThat;

/** Replay and cancel: what an operator's command does to a job, and what it refuses to do. */
class OpsCommandsTest {
    static final Duration FINISHED = Duration.ofMinutes(15);
    static final Duration DEAD_LETTERS = Duration.ofDays(7);
    final JobStateMachine machine = new JobStateMachine(PIPELINES, stage -> "dlq." + stage, () -> "evt",
            new MachineLimits(FINISHED, DEAD_LETTERS, 2));
    Instant now = T0;

    @Test
    void shouldRunDeadLetteredStageAgainWithFreshBudgetAndAttemptNumbersThatGoOn() {
        JobState dead = deadLetteredAtStore();
        assertThat(dead.highestAttempt()).isEqualTo(3);

        Transition t = apply(dead, replay("rp-1", null, null));

        assertThat(t.events()).extracting(e -> e.getClass().getSimpleName()).containsExactly("JobReplayed", "StageDispatched");
        JobEvent.JobReplayed replayed = (JobEvent.JobReplayed) t.events().get(0);
        assertThat(replayed).isEqualTo(new JobEvent.JobReplayed("evt", JOB, now, dead.lastSeq() + 1, "rp-1", 1,
                "ops:alice", "hook fixed", "stage=store", "store", "store", false, null));
        StageRequested request = dispatched(t);
        assertThat(request.stage()).isEqualTo("store");
        assertThat(request.attempt()).as("numbers go on, so old attempts' late results stay late").isEqualTo(4);
        assertThat(request.input().get("outputs")).isEqualTo(json("{\"fetch\":{\"files\":3}}"));
        assertThat(t.state().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(t.state().endedAt()).isNull();
        assertThat(t.state().attemptInRound()).isEqualTo(1);
        assertThat(t.outputs()).contains(new Output.ScheduleTimer(
                new Timer(JOB, Timer.Kind.ATTEMPT_TIMEOUT, "store", 4), now.plusSeconds(10)));

        // The fresh budget: three more attempts (4, 5, 6) before the job is dead-lettered again, with attempts=3.
        JobState again = t.state();
        for (int attempt = 4; attempt <= 5; attempt++) {
            again = apply(again, result(failed("store", attempt, "Flaky", true))).state();
            assertThat(again.phase()).isEqualTo(AttemptPhase.WAITING_FOR_RETRY);
            again = apply(again, timer(Timer.Kind.RETRY_DUE, "store", attempt)).state();
        }
        Transition third = apply(again, result(failed("store", 6, "Flaky", true)));
        assertThat(third.events()).last().isEqualTo(new JobEvent.JobDeadLettered("evt", JOB, now,
                third.state().lastSeq(), "store", 3, "Flaky", "agent timed out", "dlq.store"));
    }

    @Test
    void shouldIgnoreLateResultOfAnAttemptFromBeforeTheReplay() {
        JobState running = apply(deadLetteredAtStore(), replay("rp-1", null, null)).state();

        Transition late = apply(running, result(succeeded("store", 3)));

        assertThat(late.events()).singleElement().isInstanceOf(JobEvent.LateResultIgnored.class);
        assertThat(late.state().isInFlight("store", 4)).isTrue();
    }

    @Test
    void shouldTakeAReplayIdOnce() {
        JobState running = apply(deadLetteredAtStore(), replay("rp-1", null, null)).state();
        JobState deadAgain = failRoundAtStore(running, 4);

        Transition repeated = apply(deadAgain, replay("rp-1", null, null));

        assertThat(repeated.outputs()).isEmpty();
        assertThat(repeated.state()).isEqualTo(deadAgain);
    }

    @Test
    void shouldRedriveFromAnEarlierStageWithPatchedPayloadDroppingLaterOutputs() {
        JobState dead = deadLetteredAtStore();

        Transition t = apply(dead, replay("rp-1", "fetch", json("{\"ref\":\"release\",\"force\":true}")));

        JobEvent.JobReplayed replayed = (JobEvent.JobReplayed) t.events().get(0);
        assertThat(replayed.fromStage()).isEqualTo("fetch");
        assertThat(replayed.deadLetteredStage()).isEqualTo("store");
        assertThat(replayed.inputPatched()).isTrue();
        StageRequested request = dispatched(t);
        assertThat(request.stage()).isEqualTo("fetch");
        assertThat(request.attempt()).isEqualTo(4);
        assertThat(request.input().get("payload")).isEqualTo(json("{\"ref\":\"release\",\"force\":true}"));
        assertThat(request.input().get("outputs")).isEqualTo(json("{}"));
        assertThat(t.state().payload()).isEqualTo(json("{\"ref\":\"release\",\"force\":true}"));

        // The next stage starts its own round at the same base: attempt 4 counts as its first.
        Transition next = apply(t.state(), result(succeeded("fetch", 4)));
        assertThat(dispatched(next).stage()).isEqualTo("store");
        assertThat(dispatched(next).attempt()).isEqualTo(4);
        assertThat(next.state().attemptInRound()).isEqualTo(1);
    }

    @Test
    void shouldRefuseReplayOfAJobThatIsNotDeadLettered() {
        JobState running = machine.apply(null, requested("github"), now, NO_JITTER).state();

        Transition t = apply(running, replay("rp-1", null, null));

        assertThat(t.events()).singleElement().isEqualTo(new JobEvent.ReplayRefused("evt", JOB, now, 3, "rp-1",
                "ops:alice", "hook fixed", "stage=store",
                "the job is RUNNING; only a DEAD_LETTERED job can be replayed", false));
        assertThat(t.state().isInFlight("fetch", 1)).isTrue();
        assertThat(apply(t.state(), replay("rp-1", null, null)).outputs()).as("a refused id is taken too").isEmpty();
    }

    @Test
    void shouldRefuseRedriveToAStageAfterTheDeadLetteredOneOrNotInThePipeline() {
        JobState deadAtFetch = deadLetteredAtFetch();

        Transition later = apply(deadAtFetch, replay("rp-1", "store", null));
        Transition unknown = apply(deadAtFetch, replay("rp-2", "nope", null));

        assertThat(later.events()).singleElement().isInstanceOfSatisfying(JobEvent.ReplayRefused.class, r ->
                assertThat(r.why()).contains("'store' is not a stage of pipeline 'two' at or before"));
        assertThat(unknown.events()).singleElement().isInstanceOfSatisfying(JobEvent.ReplayRefused.class, r ->
                assertThat(r.parked()).isFalse());
        assertThat(unknown.state().status()).isEqualTo(JobStatus.DEAD_LETTERED);
    }

    @Test
    void shouldParkAJobReplayedAsOftenAsAllowed() {
        JobState state = deadLetteredAtStore();
        int attempt = 4;
        for (String id : new String[]{"rp-1", "rp-2"}) {
            state = failRoundAtStore(apply(state, replay(id, null, null)).state(), attempt);
            attempt += 3;
        }

        Transition t = apply(state, replay("rp-3", null, null));

        JobEvent.ReplayRefused refused = (JobEvent.ReplayRefused) t.events().get(0);
        assertThat(refused.parked()).isTrue();
        assertThat(refused.why()).contains("replayed 2 times", "parked");
        assertThat(t.state().status()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(t.state().replays()).isEqualTo(2);
        assertThat(t.outputs()).noneMatch(Output.DispatchStage.class::isInstance);
    }

    @Test
    void shouldCancelARunningJobAndIgnoreWhatComesAfter() {
        JobState running = machine.apply(null, requested("github"), now, NO_JITTER).state();

        Transition t = apply(running, cancel());

        assertThat(t.events()).singleElement().isEqualTo(new JobEvent.JobCancelled("evt", JOB, now, 3, "ops:bob",
                "customer asked", null, "fetch", 1, "RUNNING"));
        assertThat(t.state().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(t.state().phase()).isEqualTo(AttemptPhase.NONE);
        assertThat(t.outputs()).last().isEqualTo(new Output.ScheduleTimer(Timer.forget(JOB), now.plus(FINISHED)));

        Transition lateResult = apply(t.state(), result(succeeded("fetch", 1)));
        assertThat(lateResult.events()).singleElement().isInstanceOfSatisfying(JobEvent.LateResultIgnored.class,
                e -> assertThat(e.reason()).isEqualTo("job is already CANCELLED"));
        assertThat(lateResult.outputs()).noneMatch(Output.DispatchStage.class::isInstance);
        assertThat(apply(t.state(), timer(Timer.Kind.ATTEMPT_TIMEOUT, "fetch", 1)).outputs()).isEmpty();
        assertThat(apply(t.state(), cancel()).outputs()).as("a second cancel changes nothing").isEmpty();
    }

    @Test
    void shouldCancelAJobWaitingForItsRetry() {
        JobState running = machine.apply(null, requested("github"), now, NO_JITTER).state();
        JobState waiting = apply(running, result(failed("fetch", 1, "Flaky", true))).state();

        Transition t = apply(waiting, cancel());

        assertThat(((JobEvent.JobCancelled) t.events().get(0)).attempt()).isEqualTo(1);
        assertThat(apply(t.state(), timer(Timer.Kind.RETRY_DUE, "fetch", 1)).outputs()).isEmpty();
    }

    @Test
    void shouldCancelADeadLetterButNotACompletedJob() {
        JobState dead = deadLetteredAtStore();
        assertThat(machine.pendingTimer(dead)).as("a dead letter stays replayable for its retention")
                .contains(new Output.ScheduleTimer(Timer.forget(JOB), dead.endedAt().plus(DEAD_LETTERS)));

        Transition t = apply(dead, cancel());

        assertThat(t.state().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(((JobEvent.JobCancelled) t.events().get(0)).previousState()).isEqualTo("DEAD_LETTERED");
        assertThat(t.state().endedAt()).isEqualTo(now);
        assertThat(t.outputs()).last().isEqualTo(new Output.ScheduleTimer(Timer.forget(JOB), now.plus(FINISHED)));

        JobState running = machine.apply(null, requested("github"), now, NO_JITTER).state();
        JobState fetched = apply(running, result(succeeded("fetch", 1))).state();
        JobState completed = apply(fetched, result(succeeded("store", 1))).state();
        assertThat(completed.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(apply(completed, cancel()).outputs()).isEmpty();
    }

    @Test
    void shouldReadStatesStoredBeforeReplaysExisted() {
        JobState state = machine.apply(null, requested("github"), now, NO_JITTER).state();
        JobState old = new JobState(state.jobId(), state.connection(), state.eventType(), state.deliveryId(),
                state.requestId(), state.pipeline(), state.status(), state.stage(), state.stageIndex(), state.attempt(),
                state.phase(), state.requestEventId(), state.attemptStartedAt(), state.deadline(),
                state.nextAttemptAt(), state.lastSeq(), state.payload(), state.outputs(), state.traceparent(),
                state.firstFailureAt(), state.lastFailure(), state.endedAt(), 0, 0, 0, null);

        assertThat(old.replayIds()).isEmpty();
        assertThat(old.highestAttempt()).isEqualTo(1);
        assertThat(old.attemptInRound()).isEqualTo(1);
    }

    private JobState deadLetteredAtStore() {
        JobState state = machine.apply(null, requested("github"), now, NO_JITTER).state();
        state = apply(state, result(succeeded("fetch", 1))).state();
        return failRoundAtStore(state, 1);
    }

    private JobState deadLetteredAtFetch() {
        JobState state = machine.apply(null, requested("github"), now, NO_JITTER).state();
        for (int attempt = 1; attempt <= 2; attempt++) {
            state = apply(state, result(failed("fetch", attempt, "Flaky", true))).state();
            state = apply(state, timer(Timer.Kind.RETRY_DUE, "fetch", attempt)).state();
        }
        return apply(state, result(failed("fetch", 3, "Flaky", true))).state();
    }

    /** Fails attempts first, first+1 and first+2 of store: the stage's budget of 3, so the job is dead-lettered. */
    private JobState failRoundAtStore(JobState state, int first) {
        for (int attempt = first; attempt < first + 2; attempt++) {
            state = apply(state, result(failed("store", attempt, "Flaky", true))).state();
            state = apply(state, timer(Timer.Kind.RETRY_DUE, "store", attempt)).state();
        }
        JobState dead = apply(state, result(failed("store", first + 2, "Flaky", true))).state();
        assertThat(dead.status()).isEqualTo(JobStatus.DEAD_LETTERED);
        return dead;
    }

    /** Applies {@code input} a minute after the previous one, so every retry timer is due. */
    private Transition apply(JobState state, Input input) {
        now = now.plusSeconds(60);
        return machine.apply(state, input, now, NO_JITTER);
    }

    private static Input replay(String replayId, String fromStage, JsonNode patch) {
        return new Input.CommandReceived(new OpsCommand.ReplayJob("cmd", JOB, T0, replayId, "ops:alice", "hook fixed",
                "stage=store", fromStage, patch));
    }

    private static Input cancel() {
        return new Input.CommandReceived(new OpsCommand.CancelJob("cmd", JOB, T0, "ops:bob", "customer asked", null));
    }

    private static StageRequested dispatched(Transition t) {
        return t.outputs().stream().filter(Output.DispatchStage.class::isInstance)
                .map(o -> ((Output.DispatchStage) o).request()).findFirst().orElseThrow();
    }
}
