package io.jobpipe.orchestrator.machine;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.event.JobStatus;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineCatalogLoader;
import io.jobpipe.core.pipeline.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class JobStateMachineTest {
    static final String CATALOG = """
            defaults:
              timeout: 10s
              retry:
                maximumAttempts: 3
                initialInterval: 100ms
                coefficient: 2.0
                maximumInterval: 1s
                jitter: 0.5
            pipelines:
              two:
                stages:
                  - name: fetch
                    agent: http:https://agents.example/fetch
                  - name: store
                    retry:
                      nonRetryableErrors: [BadInput]
            routes:
              - connection: github
                pipeline: two
            """;
    static final PipelineCatalog PIPELINES = PipelineCatalogLoader.parse(CATALOG);
    static final String JOB = "job_1";
    static final String ID = "evt";
    static final String TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final AgentSpec FETCH_AGENT = new AgentSpec("http", "https://agents.example/fetch", null);
    static final AgentSpec STORE_AGENT = AgentSpec.builtin("store");
    /** With jitter 0.5, a draw of 1.0 makes every delay exactly initial * 2^(attempt-1). */
    static final DoubleSupplier NO_JITTER = () -> 1.0;
    static final JsonNode PAYLOAD = json("{\"ref\":\"main\"}");
    static final JsonNode FETCHED = json("{\"files\":3}");

    // Every id is "evt" so expected events can be written out; one test below checks ids come from the supplier.
    final JobStateMachine machine = new JobStateMachine(PIPELINES, stage -> "dlq." + stage, () -> ID);

    @Test
    void shouldAcceptJobAndDispatchFirstStageWhenRequested() {
        Transition t = machine.apply(null, requested("github"), T0, NO_JITTER);

        StageRequested request = new StageRequested(ID, JOB, T0, "two", "fetch", 0, 1, FETCH_AGENT,
                json("{\"connection\":\"github\",\"eventType\":\"push\",\"deliveryId\":\"d-1\","
                        + "\"payload\":{\"ref\":\"main\"},\"outputs\":{}}"),
                T0.plus(TIMEOUT));
        assertThat(t.outputs()).containsExactly(
                new Output.EmitJobEvent(new JobEvent.JobAccepted(ID, JOB, T0, 1, "github", "d-1", "push", "req-1",
                        "two", List.of("fetch", "store"))),
                new Output.EmitJobEvent(new JobEvent.StageDispatched(ID, JOB, T0, 2, "fetch", 0, 1, T0.plus(TIMEOUT))),
                new Output.DispatchStage(request),
                new Output.ScheduleTimer(new Timer(JOB, Timer.Kind.ATTEMPT_TIMEOUT, "fetch", 1), T0.plus(TIMEOUT)));
        assertThat(t.state().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(t.state().phase()).isEqualTo(AttemptPhase.IN_FLIGHT);
        assertThat(t.state().lastSeq()).isEqualTo(2);
        assertThat(t.state().traceparent()).isEqualTo(TRACE);
    }

    @Test
    void shouldIgnoreDuplicateRequestForExistingJob() {
        JobState accepted = machine.apply(null, requested("github"), T0, NO_JITTER).state();

        Transition duplicate = machine.apply(accepted, requested("github"), T0.plusSeconds(1), NO_JITTER);

        assertThat(duplicate.outputs()).isEmpty();
        assertThat(duplicate.state()).isEqualTo(accepted);
    }

    @Test
    void shouldFailJobWithNoPipelineWhenNoRouteMatches() {
        Transition t = machine.apply(null, requested("slack"), T0, NO_JITTER);

        assertThat(t.outputs()).containsExactly(
                new Output.EmitJobEvent(new JobEvent.JobAccepted(ID, JOB, T0, 1, "slack", "d-1", "push", "req-1",
                        null, List.of())),
                new Output.EmitJobEvent(new JobEvent.JobFailed(ID, JOB, T0, 2, null, "NoPipeline",
                        "no pipeline is routed for connection 'slack' and event type 'push'")),
                new Output.ScheduleTimer(Timer.forget(JOB), T0.plus(JobStateMachine.DEFAULT_FINISHED_JOB_RETENTION)));
        assertThat(t.state().status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void shouldCompleteStageAndDispatchNextStageWithPreviousOutputs() {
        JobState fetching = machine.apply(null, requested("github"), T0, NO_JITTER).state();
        Instant t1 = T0.plusSeconds(2);

        Transition t = machine.apply(fetching, result(succeeded("fetch", 1)), t1, NO_JITTER);

        StageRequested request = new StageRequested(ID, JOB, t1, "two", "store", 1, 1, STORE_AGENT,
                json("{\"connection\":\"github\",\"eventType\":\"push\",\"deliveryId\":\"d-1\","
                        + "\"payload\":{\"ref\":\"main\"},\"outputs\":{\"fetch\":{\"files\":3}}}"),
                t1.plus(TIMEOUT));
        assertThat(t.outputs()).containsExactly(
                new Output.EmitJobEvent(new JobEvent.StageCompleted(ID, JOB, t1, 3, "fetch", 1, T0, 1500,
                        "fetched 3 files", FETCHED)),
                new Output.EmitJobEvent(new JobEvent.StageDispatched(ID, JOB, t1, 4, "store", 1, 1, t1.plus(TIMEOUT))),
                new Output.DispatchStage(request),
                new Output.ScheduleTimer(new Timer(JOB, Timer.Kind.ATTEMPT_TIMEOUT, "store", 1), t1.plus(TIMEOUT)));
        assertThat(t.state().outputs()).isEqualTo(json("{\"fetch\":{\"files\":3}}"));
        assertThat(fetching.outputs()).as("the previous state is never mutated").isEqualTo(json("{}"));
    }

    @Test
    void shouldCompleteJobAfterLastStageWithSeqOneToN() {
        List<JobEvent> events = new ArrayList<>();
        JobState state = collect(events, machine.apply(null, requested("github"), T0, NO_JITTER));
        state = collect(events, machine.apply(state, result(succeeded("fetch", 1)), T0.plusSeconds(1), NO_JITTER));
        state = collect(events, machine.apply(state, result(succeeded("store", 1)), T0.plusSeconds(2), NO_JITTER));

        assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsExactly(
                "JobAccepted", "StageDispatched", "StageCompleted", "StageDispatched", "StageCompleted", "JobCompleted");
        assertThat(events).extracting(JobEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(events.get(5)).isEqualTo(new JobEvent.JobCompleted(ID, JOB, T0.plusSeconds(2), 6));
        assertThat(state.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(state.phase()).isEqualTo(AttemptPhase.NONE);
    }

    @Test
    void shouldScheduleRetryWithExponentialBackoffWhenAttemptFailsRetryably() {
        JobState fetching = machine.apply(null, requested("github"), T0, NO_JITTER).state();
        Instant t1 = T0.plusSeconds(1);

        Transition first = machine.apply(fetching, result(failed("fetch", 1, "HttpTimeout", true)), t1, NO_JITTER);

        Instant retryAt = t1.plusMillis(100);
        assertThat(first.outputs()).containsExactly(
                new Output.EmitJobEvent(new JobEvent.StageAttemptFailed(ID, JOB, t1, 3, "fetch", 1, T0, 900,
                        "HttpTimeout", "agent timed out", true, retryAt)),
                new Output.ScheduleTimer(new Timer(JOB, Timer.Kind.RETRY_DUE, "fetch", 1), retryAt));
        assertThat(first.state().phase()).isEqualTo(AttemptPhase.WAITING_FOR_RETRY);
        assertThat(first.state().nextAttemptAt()).isEqualTo(retryAt);

        JobState secondAttempt = machine.apply(first.state(), timer(Timer.Kind.RETRY_DUE, "fetch", 1), retryAt, NO_JITTER)
                .state();
        Instant t2 = retryAt.plusSeconds(1);
        Transition second = machine.apply(secondAttempt, result(failed("fetch", 2, "HttpTimeout", true)), t2, NO_JITTER);
        assertThat(second.events()).singleElement()
                .extracting(e -> ((JobEvent.StageAttemptFailed) e).nextAttemptAt())
                .isEqualTo(t2.plusMillis(200));
    }

    @Test
    void shouldDrawRetryJitterFromTheRandomSource() {
        JobState fetching = machine.apply(null, requested("github"), T0, NO_JITTER).state();

        Transition t = machine.apply(fetching, result(failed("fetch", 1, "HttpTimeout", true)), T0, () -> 0.0);

        // jitter 0.5 with a draw of 0: only the fixed half of the 100 ms delay remains.
        assertThat(t.state().nextAttemptAt()).isEqualTo(T0.plusMillis(50));
    }

    @Test
    void shouldWaitAsLongAsTheAgentsRetryAfterWhenItIsLongerThanTheBackoff() {
        JobState fetching = machine.apply(null, requested("github"), T0, NO_JITTER).state();
        Instant t1 = T0.plusSeconds(1);

        Transition t = machine.apply(fetching, result(failedWithRetryAfter("fetch", 1, 7_000L)), t1, NO_JITTER);

        Instant retryAt = t1.plusSeconds(7);
        assertThat(t.outputs()).containsExactly(
                new Output.EmitJobEvent(new JobEvent.StageAttemptFailed(ID, JOB, t1, 3, "fetch", 1, T0, 900,
                        "HttpAgentUnavailable", "agent busy", true, retryAt)),
                new Output.ScheduleTimer(new Timer(JOB, Timer.Kind.RETRY_DUE, "fetch", 1), retryAt));
    }

    @Test
    void shouldKeepTheBackoffWhenRetryAfterIsShorterAndCapALongRetryAfter() {
        JobState fetching = machine.apply(null, requested("github"), T0, NO_JITTER).state();

        Transition shorter = machine.apply(fetching, result(failedWithRetryAfter("fetch", 1, 10L)), T0, NO_JITTER);
        Transition huge = machine.apply(fetching, result(failedWithRetryAfter("fetch", 1, 86_400_000L)), T0, NO_JITTER);

        assertThat(shorter.state().nextAttemptAt()).isEqualTo(T0.plusMillis(100));
        assertThat(huge.state().nextAttemptAt()).isEqualTo(T0.plus(RetryPolicy.DEFAULT_MAXIMUM_RETRY_AFTER));
    }

    @Test
    void shouldDispatchNextAttemptWhenRetryTimerFires() {
        JobState fetching = machine.apply(null, requested("github"), T0, NO_JITTER).state();
        JobState waiting = machine.apply(fetching, result(failed("fetch", 1, "HttpTimeout", true)), T0, NO_JITTER)
                .state();
        Instant due = T0.plusMillis(100);

        Transition t = machine.apply(waiting, timer(Timer.Kind.RETRY_DUE, "fetch", 1), due, NO_JITTER);

        assertThat(t.outputs()).hasSize(3);
        assertThat(t.outputs().get(0)).isEqualTo(new Output.EmitJobEvent(
                new JobEvent.StageDispatched(ID, JOB, due, 4, "fetch", 0, 2, due.plus(TIMEOUT))));
        assertThat(((Output.DispatchStage) t.outputs().get(1)).request())
                .extracting(StageRequested::stage, StageRequested::attempt, StageRequested::deadline)
                .containsExactly("fetch", 2, due.plus(TIMEOUT));
        assertThat(t.outputs().get(2)).isEqualTo(
                new Output.ScheduleTimer(new Timer(JOB, Timer.Kind.ATTEMPT_TIMEOUT, "fetch", 2), due.plus(TIMEOUT)));
        assertThat(t.state().isInFlight("fetch", 2)).isTrue();
    }

    @Test
    void shouldFailJobAtOnceWhenAgentSaysFailureIsNotRetryable() {
        JobState fetching = machine.apply(null, requested("github"), T0, NO_JITTER).state();
        Instant t1 = T0.plusSeconds(1);

        Transition t = machine.apply(fetching, result(failed("fetch", 1, "ValidationFailed", false)), t1, NO_JITTER);

        assertThat(t.outputs()).containsExactly(
                new Output.EmitJobEvent(new JobEvent.StageAttemptFailed(ID, JOB, t1, 3, "fetch", 1, T0, 900,
                        "ValidationFailed", "agent timed out", false, null)),
                new Output.EmitJobEvent(new JobEvent.JobFailed(ID, JOB, t1, 4, "fetch", "ValidationFailed",
                        "agent timed out")),
                new Output.ScheduleTimer(Timer.forget(JOB), t1.plus(JobStateMachine.DEFAULT_FINISHED_JOB_RETENTION)));
        assertThat(t.state().status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void shouldFailJobAtOnceWhenPolicyListsErrorTypeAsNonRetryable() {
        JobState storing = runToStore();

        Transition t = machine.apply(storing, result(failed("store", 1, "BadInput", true)), T0.plusSeconds(3), NO_JITTER);

        assertThat(t.events()).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("StageAttemptFailed", "JobFailed");
        assertThat(((JobEvent.StageAttemptFailed) t.events().get(0)).retryable()).isFalse();
        assertThat(t.state().status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void shouldDeadLetterAfterThreeFailedAttempts() {
        AtomicInteger counter = new AtomicInteger();
        JobStateMachine numbered = new JobStateMachine(PIPELINES, stage -> "dlq." + stage,
                () -> "evt_" + counter.incrementAndGet());
        JobState state = numbered.apply(null, requested("github"), T0, NO_JITTER).state();
        Instant firstFailure = T0.plusSeconds(1);
        state = numbered.apply(state, result(failed("fetch", 1, "HttpTimeout", true)), firstFailure, NO_JITTER).state();
        state = numbered.apply(state, timer(Timer.Kind.RETRY_DUE, "fetch", 1), firstFailure.plusMillis(100), NO_JITTER)
                .state();
        state = numbered.apply(state, result(failed("fetch", 2, "HttpTimeout", true)), T0.plusSeconds(2), NO_JITTER)
                .state();
        Transition third = numbered.apply(state, timer(Timer.Kind.RETRY_DUE, "fetch", 2), T0.plusSeconds(3), NO_JITTER);
        StageRequested lastRequest = ((Output.DispatchStage) third.outputs().get(1)).request();
        Instant lastFailure = T0.plusSeconds(4);

        Transition t = numbered.apply(third.state(), result(failed("fetch", 3, "HttpTimeout", true)), lastFailure,
                NO_JITTER);

        assertThat(t.events()).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("StageAttemptFailed", "JobDeadLettered");
        JobEvent.StageAttemptFailed failedEvent = (JobEvent.StageAttemptFailed) t.events().get(0);
        assertThat(failedEvent.retryable()).isTrue();
        assertThat(failedEvent.nextAttemptAt()).isNull();
        JobEvent.JobDeadLettered deadLettered = (JobEvent.JobDeadLettered) t.events().get(1);
        assertThat(deadLettered).isEqualTo(new JobEvent.JobDeadLettered(deadLettered.eventId(), JOB, lastFailure,
                deadLettered.seq(), "fetch", 3, "HttpTimeout", "agent timed out", "dlq.fetch"));
        assertThat(t.outputs().get(2)).isEqualTo(new Output.DeadLetter(lastRequest, "HttpTimeout", "agent timed out",
                3, firstFailure, lastFailure));
        assertThat(t.state().status()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(t.events()).extracting(JobEvent::eventId).doesNotHaveDuplicates().allMatch(id -> id.startsWith("evt_"));
    }

    @Test
    void shouldExtendTheDeadlineAndReportProgressWhenAHeartbeatArrives() {
        JobState fetching = machine.apply(null, requested("github"), T0, NO_JITTER).state();
        Instant t1 = T0.plusSeconds(8);

        Transition t = machine.apply(fetching, result(heartbeat("fetch", 1)), t1, NO_JITTER);

        assertThat(t.outputs()).containsExactly(
                new Output.EmitJobEvent(new JobEvent.StageProgress(ID, JOB, t1, fetching.lastSeq() + 1, "fetch", 1,
                        "still working", t1.plus(TIMEOUT))),
                new Output.ScheduleTimer(new Timer(JOB, Timer.Kind.ATTEMPT_TIMEOUT, "fetch", 1), t1.plus(TIMEOUT)));
        assertThat(t.state().deadline()).isEqualTo(t1.plus(TIMEOUT));
        assertThat(t.state().lastSeq()).isEqualTo(fetching.lastSeq() + 1);
    }

    @Test
    void shouldTreatAttemptPastItsDeadlineAsRetryableStageTimeout() {
        JobState fetching = machine.apply(null, requested("github"), T0, NO_JITTER).state();
        Instant deadline = T0.plus(TIMEOUT);

        Transition t = machine.apply(fetching, timer(Timer.Kind.ATTEMPT_TIMEOUT, "fetch", 1), deadline, NO_JITTER);

        Instant retryAt = deadline.plusMillis(100);
        assertThat(t.outputs()).containsExactly(
                new Output.EmitJobEvent(new JobEvent.StageAttemptFailed(ID, JOB, deadline, 3, "fetch", 1, T0, 10_000,
                        "StageTimeout", "attempt 1 of stage fetch sent no result or heartbeat within PT10S", true,
                        retryAt)),
                new Output.ScheduleTimer(new Timer(JOB, Timer.Kind.RETRY_DUE, "fetch", 1), retryAt));
    }

    @Test
    void shouldIgnoreTimeoutTimerWhoseDeadlineWasExtendedByHeartbeat() {
        JobState fetching = machine.apply(null, requested("github"), T0, NO_JITTER).state();
        JobState extended = machine.apply(fetching, result(heartbeat("fetch", 1)), T0.plusSeconds(8), NO_JITTER).state();

        Transition t = machine.apply(extended, timer(Timer.Kind.ATTEMPT_TIMEOUT, "fetch", 1), T0.plus(TIMEOUT), NO_JITTER);

        assertThat(t.outputs()).isEmpty();
        assertThat(t.state()).isEqualTo(extended);
    }

    @Test
    void shouldIgnoreStaleTimers() {
        JobState fetching = machine.apply(null, requested("github"), T0, NO_JITTER).state();
        JobState waiting = machine.apply(fetching, result(failed("fetch", 1, "HttpTimeout", true)), T0, NO_JITTER).state();
        JobState secondAttempt = machine.apply(waiting, timer(Timer.Kind.RETRY_DUE, "fetch", 1), T0.plusMillis(100),
                NO_JITTER).state();
        Instant late = T0.plusSeconds(60);

        assertThat(machine.apply(secondAttempt, timer(Timer.Kind.ATTEMPT_TIMEOUT, "fetch", 1), late, NO_JITTER).outputs())
                .as("timeout of an attempt that already failed").isEmpty();
        assertThat(machine.apply(secondAttempt, timer(Timer.Kind.RETRY_DUE, "fetch", 1), late, NO_JITTER).outputs())
                .as("retry that was already dispatched").isEmpty();
        assertThat(machine.apply(fetching, timer(Timer.Kind.RETRY_DUE, "fetch", 1), late, NO_JITTER).outputs())
                .as("retry of an attempt still in flight").isEmpty();
        JobState done = runToCompletion();
        assertThat(machine.apply(done, timer(Timer.Kind.ATTEMPT_TIMEOUT, "store", 1), late, NO_JITTER).outputs())
                .as("timeout of a finished job").isEmpty();
        assertThat(machine.apply(null, timer(Timer.Kind.ATTEMPT_TIMEOUT, "fetch", 1), late, NO_JITTER))
                .as("timer of an unknown job").isEqualTo(new Transition(null, List.of()));
    }

    @Test
    void shouldRecordAndIgnoreLateResultOfOldAttempt() {
        JobState fetching = machine.apply(null, requested("github"), T0, NO_JITTER).state();
        JobState waiting = machine.apply(fetching, result(failed("fetch", 1, "HttpTimeout", true)), T0, NO_JITTER).state();
        JobState secondAttempt = machine.apply(waiting, timer(Timer.Kind.RETRY_DUE, "fetch", 1), T0.plusMillis(100),
                NO_JITTER).state();
        Instant t1 = T0.plusSeconds(1);

        Transition t = machine.apply(secondAttempt, result(succeeded("fetch", 1)), t1, NO_JITTER);

        assertThat(t.outputs()).containsExactly(new Output.EmitJobEvent(new JobEvent.LateResultIgnored(ID, JOB, t1,
                secondAttempt.lastSeq() + 1, "fetch", 1, "StageSucceeded",
                "attempt 1 is not the current attempt (current: 2)")));
        assertThat(t.state().isInFlight("fetch", 2)).isTrue();
        assertThat(t.state().outputs()).isEqualTo(json("{}"));
    }

    @Test
    void shouldRecordAndIgnoreResultOfAnotherStage() {
        JobState fetching = machine.apply(null, requested("github"), T0, NO_JITTER).state();

        Transition t = machine.apply(fetching, result(succeeded("store", 1)), T0.plusSeconds(1), NO_JITTER);

        assertThat(t.events()).containsExactly(new JobEvent.LateResultIgnored(ID, JOB, T0.plusSeconds(1), 3, "store", 1,
                "StageSucceeded", "stage store is not the current stage (current: fetch)"));
        assertThat(t.state().isInFlight("fetch", 1)).isTrue();
    }

    @Test
    void shouldRecordAndIgnoreResultOfFinishedJob() {
        JobState done = runToCompletion();

        Transition t = machine.apply(done, result(failed("store", 1, "Boom", true)), T0.plusSeconds(9), NO_JITTER);

        assertThat(t.events()).containsExactly(new JobEvent.LateResultIgnored(ID, JOB, T0.plusSeconds(9), 7, "store", 1,
                "StageFailed", "job is already COMPLETED"));
        assertThat(t.state().status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void shouldRecordAndIgnoreResultOfAttemptThatAlreadyTimedOut() {
        JobState fetching = machine.apply(null, requested("github"), T0, NO_JITTER).state();
        JobState timedOut = machine.apply(fetching, timer(Timer.Kind.ATTEMPT_TIMEOUT, "fetch", 1), T0.plus(TIMEOUT),
                NO_JITTER).state();

        Transition t = machine.apply(timedOut, result(succeeded("fetch", 1)), T0.plusSeconds(11), NO_JITTER);

        assertThat(t.events()).containsExactly(new JobEvent.LateResultIgnored(ID, JOB, T0.plusSeconds(11), 4, "fetch", 1,
                "StageSucceeded", "attempt 1 already failed; a retry is scheduled"));
        assertThat(t.state().phase()).isEqualTo(AttemptPhase.WAITING_FOR_RETRY);
    }

    @Test
    void shouldRecordAndIgnoreHeartbeatOfOldAttempt() {
        JobState fetching = machine.apply(null, requested("github"), T0, NO_JITTER).state();
        JobState waiting = machine.apply(fetching, result(failed("fetch", 1, "HttpTimeout", true)), T0, NO_JITTER).state();

        Transition t = machine.apply(waiting, result(heartbeat("fetch", 1)), T0.plusMillis(50), NO_JITTER);

        assertThat(t.events()).singleElement().isInstanceOf(JobEvent.LateResultIgnored.class)
                .extracting(e -> ((JobEvent.LateResultIgnored) e).resultType()).isEqualTo("StageHeartbeat");
        assertThat(t.outputs()).noneMatch(Output.ScheduleTimer.class::isInstance);
    }

    @Test
    void shouldDoNothingForResultOfUnknownJob() {
        Transition t = machine.apply(null, result(succeeded("fetch", 1)), T0, NO_JITTER);

        assertThat(t).isEqualTo(new Transition(null, List.of()));
    }

    private JobState runToStore() {
        JobState state = machine.apply(null, requested("github"), T0, NO_JITTER).state();
        return machine.apply(state, result(succeeded("fetch", 1)), T0.plusSeconds(1), NO_JITTER).state();
    }

    private JobState runToCompletion() {
        return machine.apply(runToStore(), result(succeeded("store", 1)), T0.plusSeconds(2), NO_JITTER).state();
    }

    private static JobState collect(List<JobEvent> events, Transition transition) {
        events.addAll(transition.events());
        return transition.state();
    }

    static Input requested(String connection) {
        return new Input.Requested(new JobRequested("evt_req", JOB, T0, connection, "d-1", "push", "req-1", PAYLOAD),
                TRACE);
    }

    static Input result(StageResult result) {
        return new Input.ResultReceived(result);
    }

    static Input timer(Timer.Kind kind, String stage, int attempt) {
        return new Input.TimerFired(new Timer(JOB, kind, stage, attempt));
    }

    static StageResult succeeded(String stage, int attempt) {
        return new StageResult.StageSucceeded("evt_r", JOB, T0, stage, attempt, T0, 1500, "fetched 3 files", FETCHED);
    }

    static StageResult failed(String stage, int attempt, String errorType, boolean retryable) {
        return new StageResult.StageFailed("evt_r", JOB, T0, stage, attempt, T0, 900, errorType, "agent timed out",
                retryable);
    }

    static StageResult failedWithRetryAfter(String stage, int attempt, long retryAfterMs) {
        return new StageResult.StageFailed("evt_r", JOB, T0, stage, attempt, T0, 900, "HttpAgentUnavailable",
                "agent busy", true, retryAfterMs, null);
    }

    static StageResult heartbeat(String stage, int attempt) {
        return new StageResult.StageHeartbeat("evt_r", JOB, T0, stage, attempt, "still working");
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
