package io.jobpipe.orchestrator.machine;

import io.jobpipe.core.breaker.BreakerState;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobStatus;
import io.jobpipe.core.event.OpsCommand;
import io.jobpipe.core.event.StageRequested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static io.jobpipe.orchestrator.machine.JobStateMachineTest.JOB;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.NO_JITTER;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.PIPELINES;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.T0;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.failed;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.requested;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.result;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.succeeded;
import static io.jobpipe.orchestrator.machine.JobStateMachineTest.timer;
import static org.assertj.core.api.Assertions.assertThat;

/** An open circuit breaker holds a stage's dispatches without spending attempts; a release sends them on. */
class CircuitBreakerHoldTest {
    static final BreakerState STORE_OPEN = new BreakerState(null, "two", "store", BreakerState.Status.OPEN,
            T0.minusSeconds(5), "12 of the last 20 attempts failed", BreakerState.ORCHESTRATOR, false);
    static final BreakerView STORE_HELD = Map.of("two/store", STORE_OPEN)::get;

    final JobStateMachine machine = new JobStateMachine(PIPELINES, stage -> "dlq." + stage, () -> "evt");
    Instant now = T0;

    @Test
    void shouldHoldTheNextStageInsteadOfDispatchingItWhileItsBreakerIsOpen() {
        JobState fetching = apply(null, requested("github"), STORE_HELD).state();

        Transition t = apply(fetching, result(succeeded("fetch", 1)), STORE_HELD);

        assertThat(t.events()).extracting(e -> e.getClass().getSimpleName()).containsExactly("StageCompleted", "JobHeld");
        assertThat(t.events().get(1)).isEqualTo(new JobEvent.JobHeld("evt", JOB, now, 4, "store", 1, "two/store",
                "circuit breaker two/store is OPEN since " + STORE_OPEN.since() + ": 12 of the last 20 attempts failed"));
        assertThat(t.outputs()).as("no request, no timer: nothing runs and nothing is spent")
                .noneMatch(o -> o instanceof Output.DispatchStage || o instanceof Output.ScheduleTimer);
        assertThat(t.state().status()).isEqualTo(JobStatus.HELD);
        assertThat(t.state().phase()).isEqualTo(AttemptPhase.HELD);
        assertThat(t.state().heldBy()).isEqualTo("two/store");
        assertThat(machine.pendingTimer(t.state())).isEmpty();
    }

    @Test
    void shouldHoldARetryThatFallsDueWhileTheBreakerIsOpenAndKeepItsAttemptNumber() {
        JobState storing = apply(apply(null, requested("github"), BreakerView.ALL_CLOSED).state(),
                result(succeeded("fetch", 1)), BreakerView.ALL_CLOSED).state();
        JobState waiting = apply(storing, result(failed("store", 1, "Unavailable", true)), BreakerView.ALL_CLOSED).state();

        Transition held = apply(waiting, timer(Timer.Kind.RETRY_DUE, "store", 1), STORE_HELD);

        assertThat(held.events()).singleElement().isInstanceOf(JobEvent.JobHeld.class);
        assertThat(((JobEvent.JobHeld) held.events().get(0)).attempt()).isEqualTo(2);
        assertThat(held.state().highestAttempt()).as("a held attempt is not dispatched").isEqualTo(1);

        Transition released = apply(held.state(), new Input.Release(JOB, "two/store", false, "closed"), STORE_HELD);

        assertThat(released.events()).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("JobReleased", "StageDispatched");
        StageRequested request = released.outputs().stream().filter(Output.DispatchStage.class::isInstance)
                .map(o -> ((Output.DispatchStage) o).request()).findFirst().orElseThrow();
        assertThat(request.stage()).isEqualTo("store");
        assertThat(request.attempt()).isEqualTo(2);
        assertThat(released.state().isInFlight("store", 2)).isTrue();
        assertThat(released.state().status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void shouldSendTheProbeEvenThoughTheBreakerStillHoldsOthers() {
        JobState held = heldAtStore();

        Transition probe = apply(held, new Input.Release(JOB, "two/store", true, "probing"), STORE_HELD);

        assertThat(probe.events().get(0)).isEqualTo(new JobEvent.JobReleased("evt", JOB, now, held.lastSeq() + 1,
                "store", "two/store", true, "probing"));
        assertThat(probe.state().isInFlight("store", 1)).isTrue();
    }

    @Test
    void shouldIgnoreAReleaseOfAJobThatIsNotHeldByThatBreaker() {
        JobState held = heldAtStore();

        assertThat(apply(held, new Input.Release(JOB, "two/fetch", false, "x"), STORE_HELD).outputs()).isEmpty();
        JobState running = apply(held, new Input.Release(JOB, "two/store", false, "x"), STORE_HELD).state();
        assertThat(apply(running, new Input.Release(JOB, "two/store", false, "again"), STORE_HELD).outputs()).isEmpty();
    }

    @Test
    void shouldCancelAHeldJobWithNoAttemptUnderWay() {
        JobState held = heldAtStore();

        Transition t = apply(held, new Input.CommandReceived(new OpsCommand.CancelJob("c", JOB, now, "ops:bob",
                "not needed", null)), STORE_HELD);

        JobEvent.JobCancelled cancelled = (JobEvent.JobCancelled) t.events().get(0);
        assertThat(cancelled.previousState()).isEqualTo("HELD");
        assertThat(cancelled.attempt()).isZero();
        assertThat(t.state().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(apply(t.state(), new Input.Release(JOB, "two/store", false, "closed"), STORE_HELD).outputs())
                .as("a cancelled job is not released").isEmpty();
    }

    @Test
    void shouldRecordAResultArrivingForAHeldJobAsLate() {
        JobState storing = apply(apply(null, requested("github"), BreakerView.ALL_CLOSED).state(),
                result(succeeded("fetch", 1)), BreakerView.ALL_CLOSED).state();
        JobState waiting = apply(storing, result(failed("store", 1, "Unavailable", true)), BreakerView.ALL_CLOSED).state();
        JobState held = apply(waiting, timer(Timer.Kind.RETRY_DUE, "store", 1), STORE_HELD).state();

        Transition late = apply(held, result(succeeded("store", 1)), STORE_HELD);

        assertThat(late.events()).singleElement().isInstanceOf(JobEvent.LateResultIgnored.class);
        assertThat(late.state().status()).isEqualTo(JobStatus.HELD);
    }

    @Test
    void shouldNotHoldAStageWhoseBreakerIsClosedOrBelongsToAnotherPipeline() {
        BreakerView otherPipeline = Map.of("other/store", STORE_OPEN)::get;
        JobState fetching = apply(null, requested("github"), otherPipeline).state();

        Transition t = apply(fetching, result(succeeded("fetch", 1)), otherPipeline);

        assertThat(t.state().isInFlight("store", 1)).isTrue();
    }

    private JobState heldAtStore() {
        JobState fetching = apply(null, requested("github"), STORE_HELD).state();
        return apply(fetching, result(succeeded("fetch", 1)), STORE_HELD).state();
    }

    private Transition apply(JobState state, Input input, BreakerView breakers) {
        now = now.plusSeconds(1);
        return machine.apply(state, input, now, NO_JITTER, breakers);
    }
}
