package io.jobpipe.status.projection;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobStatus;
import io.jobpipe.status.TestEvents;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The projection rules without a database: event in, rows out. */
class JobProjectionRulesTest {
    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");
    private static final String JOB = "job-1";

    /** The job after every event of {@code events}, in order. */
    static JobView applyAll(List<JobEvent> events) {
        JobView job = null;
        for (JobEvent event : events) {
            job = JobProjectionRules.apply(job, event, TestEvents.TRACE_ID);
        }
        return job;
    }

    private static List<JobEvent> run() {
        return TestEvents.successfulRun(JOB, T0);
    }

    @Test
    void shouldCreateAnAcceptedJobWithEveryStagePending() {
        JobView job = applyAll(run().subList(0, 1));

        assertThat(job.state()).isEqualTo(JobStatus.ACCEPTED);
        assertThat(job.connection()).isEqualTo("github");
        assertThat(job.eventType()).isEqualTo("push");
        assertThat(job.deliveryId()).isEqualTo("delivery-" + JOB);
        assertThat(job.requestId()).isEqualTo("req-" + JOB);
        assertThat(job.pipeline()).isEqualTo("default");
        assertThat(job.createdAt()).isEqualTo(T0);
        assertThat(job.lastSeq()).isEqualTo(1);
        assertThat(job.stages()).extracting(StageView::name).containsExactly("validate", "normalize", "enrich");
        assertThat(job.stages()).extracting(StageView::position).containsExactly(0, 1, 2);
        assertThat(job.stages()).extracting(StageView::status).containsOnly(StageStatus.PENDING);
    }

    @Test
    void shouldRunTheDispatchedStage() {
        JobView job = applyAll(run().subList(0, 2));

        assertThat(job.state()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.currentStage()).isEqualTo("validate");
        assertThat(job.currentAttempt()).isEqualTo(1);
        StageView validate = job.stage("validate").orElseThrow();
        assertThat(validate.status()).isEqualTo(StageStatus.RUNNING);
        assertThat(validate.attempts()).isEqualTo(1);
        assertThat(validate.startedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(validate.endedAt()).isNull();
    }

    @Test
    void shouldRecordASucceededStageWithItsOutput() {
        StageView validate = applyAll(run().subList(0, 3)).stage("validate").orElseThrow();

        assertThat(validate.status()).isEqualTo(StageStatus.SUCCEEDED);
        assertThat(validate.endedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(validate.durationMs()).isEqualTo(900);
        assertThat(validate.summary()).isEqualTo("payload valid");
        assertThat(validate.output()).isEqualTo(JsonNodeFactory.instance.objectNode().put("valid", true));
    }

    @Test
    void shouldShowARetryableFailureAsRetryingWithItsError() {
        JobView job = applyAll(run().subList(0, 5));

        StageView normalize = job.stage("normalize").orElseThrow();
        assertThat(normalize.status()).isEqualTo(StageStatus.RETRYING);
        assertThat(normalize.error()).isEqualTo("Timeout: agent did not answer");
        assertThat(normalize.attempts()).isEqualTo(1);
        assertThat(job.state()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.error()).isNull();
    }

    @Test
    void shouldCountTheSecondAttemptAndKeepTheFirstStartTime() {
        JobView job = applyAll(run().subList(0, 7));

        StageView normalize = job.stage("normalize").orElseThrow();
        assertThat(normalize.status()).isEqualTo(StageStatus.SUCCEEDED);
        assertThat(normalize.attempts()).isEqualTo(2);
        assertThat(normalize.startedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(normalize.error()).isNull();
    }

    @Test
    void shouldCompleteTheJob() {
        JobView job = applyAll(run());

        assertThat(job.state()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.finishedAt()).isEqualTo(T0.plusSeconds(9));
        assertThat(job.updatedAt()).isEqualTo(T0.plusSeconds(9));
        assertThat(job.currentStage()).isNull();
        assertThat(job.lastSeq()).isEqualTo(10);
        assertThat(job.stages()).extracting(StageView::status).containsOnly(StageStatus.SUCCEEDED);
    }

    @Test
    void shouldDeadLetterTheJobAndItsStage() {
        JobView job = applyAll(List.of(
                TestEvents.accepted(JOB, T0),
                new JobEvent.StageDispatched("e2", JOB, T0.plusSeconds(1), 2, "validate", 0, 5, null),
                new JobEvent.StageAttemptFailed("e3", JOB, T0.plusSeconds(2), 3, "validate", 5, T0.plusSeconds(1), 10,
                        "IOException", "connection refused", true, null),
                new JobEvent.JobDeadLettered("e4", JOB, T0.plusSeconds(3), 4, "validate", 5, "IOException",
                        "connection refused", "jobpipe.stage.validate.dlq")));

        assertThat(job.state()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(job.error()).isEqualTo("IOException: connection refused");
        assertThat(job.finishedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(job.currentStage()).isEqualTo("validate");
        StageView validate = job.stage("validate").orElseThrow();
        assertThat(validate.status()).isEqualTo(StageStatus.DEAD_LETTERED);
        assertThat(validate.attempts()).isEqualTo(5);
    }

    @Test
    void shouldFailTheJobOnANonRetryableFailure() {
        JobView job = applyAll(List.of(
                TestEvents.accepted(JOB, T0),
                new JobEvent.StageDispatched("e2", JOB, T0.plusSeconds(1), 2, "validate", 0, 1, null),
                new JobEvent.StageAttemptFailed("e3", JOB, T0.plusSeconds(2), 3, "validate", 1, T0.plusSeconds(1), 10,
                        "ValidationFailed", "missing field repository", false, null),
                new JobEvent.JobFailed("e4", JOB, T0.plusSeconds(2), 4, "validate", "ValidationFailed",
                        "missing field repository")));

        assertThat(job.state()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error()).isEqualTo("ValidationFailed: missing field repository");
        assertThat(job.stage("validate").orElseThrow().status()).isEqualTo(StageStatus.FAILED);
        assertThat(job.stage("normalize").orElseThrow().status()).isEqualTo(StageStatus.PENDING);
    }

    @Test
    void shouldFailAJobWithoutPipelineEvenWithoutAStage() {
        JobView job = applyAll(List.of(new JobEvent.JobFailed("e1", JOB, T0, 1, null, "NoPipeline",
                "no route for connection x")));

        assertThat(job.state()).isEqualTo(JobStatus.FAILED);
        assertThat(job.stages()).isEmpty();
        assertThat(job.createdAt()).isEqualTo(T0);
    }

    @Test
    void shouldRunAgainWhenADeadLetteredStageIsReplayed() {
        JobView deadLettered = applyAll(List.of(
                TestEvents.accepted(JOB, T0),
                new JobEvent.StageDispatched("e2", JOB, T0.plusSeconds(1), 2, "validate", 0, 1, null),
                new JobEvent.JobDeadLettered("e3", JOB, T0.plusSeconds(2), 3, "validate", 1, "Timeout", null,
                        "dlq")));

        JobView replayed = JobProjectionRules.apply(deadLettered,
                new JobEvent.StageDispatched("e4", JOB, T0.plusSeconds(60), 4, "validate", 0, 2, null), null);

        assertThat(replayed.state()).isEqualTo(JobStatus.RUNNING);
        assertThat(replayed.finishedAt()).isNull();
        assertThat(replayed.error()).isNull();
        assertThat(replayed.stage("validate").orElseThrow().status()).isEqualTo(StageStatus.RUNNING);
        assertThat(replayed.stage("validate").orElseThrow().attempts()).isEqualTo(2);
    }

    @Test
    void shouldOnlyAdvanceTheSeqOnALateResult() {
        JobView before = applyAll(run().subList(0, 3));

        JobView after = JobProjectionRules.apply(before, new JobEvent.LateResultIgnored("e4", JOB,
                T0.plusSeconds(30), 4, "validate", 1, "StageSucceeded", "attempt already finished"), null);

        assertThat(after.lastSeq()).isEqualTo(4);
        assertThat(after.updatedAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(after.stages()).isEqualTo(before.stages());
        assertThat(after.state()).isEqualTo(before.state());
    }

    @Test
    void shouldIgnoreAnEventAtOrBelowTheLastSeq() {
        JobView job = applyAll(run().subList(0, 5));

        JobView again = JobProjectionRules.apply(job, run().get(2), TestEvents.TRACE_ID);

        assertThat(again).isEqualTo(job);
    }

    @Test
    void shouldKeepTheFirstTraceId() {
        JobView job = JobProjectionRules.apply(null, run().get(0), null);
        job = JobProjectionRules.apply(job, run().get(1), "aaaa");
        job = JobProjectionRules.apply(job, run().get(2), "bbbb");

        assertThat(job.traceId()).isEqualTo("aaaa");
    }

    @Test
    void shouldPlaceStagesOfAJobWhoseAcceptanceWasMissed() {
        JobView job = applyAll(run().subList(3, 7));

        assertThat(job.state()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.stages()).extracting(StageView::name).containsExactly("normalize");
        assertThat(job.stages().get(0).position()).isEqualTo(1);
    }

    @Test
    void shouldHoldTheJobAndItsStageWhenTheBreakerHoldsTheNextAttempt() {
        JobView job = applyAll(TestEvents.heldAtNormalize(JOB, T0).subList(0, 6));

        assertThat(job.state()).isEqualTo(JobStatus.HELD);
        assertThat(job.state().terminal()).isFalse();
        assertThat(job.currentStage()).isEqualTo("normalize");
        assertThat(job.currentAttempt()).isNull();
        assertThat(job.finishedAt()).isNull();
        assertThat(job.lastSeq()).isEqualTo(6);
        StageView normalize = job.stage("normalize").orElseThrow();
        assertThat(normalize.status()).isEqualTo(StageStatus.HELD);
        assertThat(normalize.attempts()).isEqualTo(1);
        assertThat(normalize.error()).isEqualTo("Timeout: agent did not answer");
        assertThat(job.stage("validate").orElseThrow().status()).isEqualTo(StageStatus.SUCCEEDED);
    }

    @Test
    void shouldKeepTheJobHeldWhenReleasedUntilItsStageIsDispatched() {
        List<JobEvent> events = TestEvents.heldAtNormalize(JOB, T0);

        JobView released = applyAll(events.subList(0, 7));
        JobView dispatched = applyAll(events);

        assertThat(released.state()).isEqualTo(JobStatus.HELD);
        assertThat(released.stage("normalize").orElseThrow().status()).isEqualTo(StageStatus.HELD);
        assertThat(released.lastSeq()).isEqualTo(7);
        assertThat(dispatched.state()).isEqualTo(JobStatus.RUNNING);
        assertThat(dispatched.currentStage()).isEqualTo("normalize");
        assertThat(dispatched.currentAttempt()).isEqualTo(2);
        assertThat(dispatched.stage("normalize").orElseThrow().status()).isEqualTo(StageStatus.RUNNING);
        assertThat(dispatched.stage("normalize").orElseThrow().attempts()).isEqualTo(2);
    }

    @Test
    void shouldHoldAStageNotYetStarted() {
        JobEvent held = new JobEvent.JobHeld("evt-h", JOB, T0.plusSeconds(3), 4, "normalize", 1, "default/normalize",
                "opened by hand");

        JobView job = applyAll(List.of(run().get(0), run().get(1), run().get(2), held));

        assertThat(job.state()).isEqualTo(JobStatus.HELD);
        assertThat(job.stage("normalize").orElseThrow().status()).isEqualTo(StageStatus.HELD);
        assertThat(job.stage("normalize").orElseThrow().attempts()).isZero();
        assertThat(job.stage("enrich").orElseThrow().status()).isEqualTo(StageStatus.PENDING);
    }

    @Test
    void shouldCancelAHeldJobAtItsHeldStage() {
        List<JobEvent> events = new ArrayList<>(TestEvents.heldAtNormalize(JOB, T0).subList(0, 6));
        events.add(new JobEvent.JobCancelled("evt-c", JOB, T0.plusSeconds(20), 7, "ops:alice", "breaker stays open",
                null, "normalize", 0, "HELD"));

        JobView job = applyAll(events);

        assertThat(job.state()).isEqualTo(JobStatus.CANCELLED);
        assertThat(job.stage("normalize").orElseThrow().status()).isEqualTo(StageStatus.CANCELLED);
    }

    @Test
    void shouldClassifySeqOrder() {
        assertThat(JobProjectionRules.order(0, 1)).isEqualTo(JobProjectionRules.Order.NEXT);
        assertThat(JobProjectionRules.order(4, 5)).isEqualTo(JobProjectionRules.Order.NEXT);
        assertThat(JobProjectionRules.order(4, 7)).isEqualTo(JobProjectionRules.Order.GAP);
        assertThat(JobProjectionRules.order(0, 2)).isEqualTo(JobProjectionRules.Order.GAP);
        assertThat(JobProjectionRules.order(4, 4)).isEqualTo(JobProjectionRules.Order.STALE);
        assertThat(JobProjectionRules.order(4, 2)).isEqualTo(JobProjectionRules.Order.STALE);
    }

    @Test
    void shouldNameTheTerminalTypes() {
        assertThat(List.of("JobCompleted", "JobFailed", "JobDeadLettered"))
                .allMatch(io.jobpipe.core.event.JobEvent::isTerminalType);
        assertThat(List.of("JobAccepted", "StageDispatched", "StageCompleted", "StageAttemptFailed",
                "LateResultIgnored")).noneMatch(io.jobpipe.core.event.JobEvent::isTerminalType);
    }

    @Test
    void shouldKeepTheErrorClassTheJobRestsInAndClearItOnReplay() {
        List<JobEvent> events = new ArrayList<>(TestEvents.deadLetteredAtEnrich(JOB, T0));
        JobView dead = applyAll(events);
        assertThat(dead.errorClass()).isEqualTo("HttpError");
        assertThat(dead.error()).isEqualTo("HttpError: 503 from agent");

        events.add(TestEvents.replayed(JOB, T0, 11, null));
        JobView replayed = applyAll(events);
        assertThat(replayed.errorClass()).isNull();
        assertThat(replayed.error()).isNull();

        events.add(new JobEvent.JobCancelled("evt-c", JOB, T0.plusSeconds(30), 12, "ops:alice", "not needed", null,
                "enrich", 1, "RUNNING"));
        assertThat(applyAll(events).errorClass()).isEqualTo(JobProjectionRules.CANCELLED_CLASS);
        assertThat(applyAll(run()).errorClass()).isNull();
    }

    @Test
    void shouldTakeTheSubjectFromTheFirstStageOutputThatHasOne() {
        List<JobEvent> events = new ArrayList<>(run());
        assertThat(applyAll(events).subject()).as("no output has a subject").isNull();

        // normalize (position 1) and enrich (position 2) both name a subject: the earlier stage's wins.
        events.set(8, new JobEvent.StageCompleted(TestEvents.eid(JOB, 9), JOB, T0.plusSeconds(8), 9, "enrich", 1,
                T0.plusSeconds(7), 600, "enriched", JsonNodeFactory.instance.objectNode().put("subject", "later")));
        assertThat(applyAll(events).subject()).isEqualTo("later");
        events.set(6, new JobEvent.StageCompleted(TestEvents.eid(JOB, 7), JOB, T0.plusSeconds(6), 7, "normalize", 2,
                T0.plusSeconds(5), 700, "github push", JsonNodeFactory.instance.objectNode()
                .put("subject", "Fix login redirect").put("source", "github")));
        assertThat(applyAll(events).subject()).isEqualTo("Fix login redirect");

        events.set(6, new JobEvent.StageCompleted(TestEvents.eid(JOB, 7), JOB, T0.plusSeconds(6), 7, "normalize", 2,
                T0.plusSeconds(5), 700, "github push", JsonNodeFactory.instance.objectNode().put("subject", 42)));
        assertThat(applyAll(events).subject()).as("a subject that is not text is no subject").isEqualTo("later");
    }
}
