package io.jobpipe.runtime.bench;

import com.fasterxml.jackson.databind.node.NullNode;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobEvent.JobAccepted;
import io.jobpipe.core.event.JobEvent.JobCompleted;
import io.jobpipe.core.event.JobEvent.JobDeadLettered;
import io.jobpipe.core.event.JobEvent.JobFailed;
import io.jobpipe.core.event.JobEvent.StageAttemptFailed;
import io.jobpipe.core.event.JobEvent.StageCompleted;
import io.jobpipe.core.event.JobEvent.StageDispatched;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class JobLedgerTest {
    private static final String RUN = "bench-run1-";
    private static final Instant T0 = Instant.parse("2025-11-20T10:00:00Z");
    private static final long MS = 1_000_000L;

    private final JobLedger ledger = new JobLedger(RUN);

    @Test
    void shouldMeasureEndToEndFromTheScheduledSendTimeEvenWhenEventsOvertakeTheHttpAnswer() {
        ledger.observe(accepted("job_a", 1, RUN + 0, List.of("validate")), 1_000 * MS);
        ledger.observe(new JobCompleted("e", "job_a", T0.plusMillis(40), 2), 1_050 * MS);
        assertThat(ledger.snapshot().completed()).isZero(); // not ours until ingest's 2xx names it

        ledger.accepted("job_a", 0, 990 * MS);

        assertThat(ledger.snapshot()).isEqualTo(new JobLedger.Snapshot(1, 1, 0, 0, 0));
        assertThat(ledger.endToEnd().count()).isEqualTo(1);
        assertThat(ledger.endToEnd().p50Ms()).isCloseTo(60, within(0.1));
        assertThat(ledger.inPipeline().p50Ms()).isCloseTo(40, within(0.1));
    }

    @Test
    void shouldAccountEveryAcceptedJobAsCompletedFailedDeadLetteredOrInFlight() {
        runToCompletion("job_ok", 0);
        ledger.accepted("job_failed", 1, 0);
        ledger.observe(accepted("job_failed", 1, RUN + 1, List.of("validate")), MS);
        ledger.observe(new JobFailed("e", "job_failed", T0, 2, "validate", "ValidationFailed", "missing id"), MS);
        ledger.accepted("job_dead", 2, 0);
        ledger.observe(accepted("job_dead", 1, RUN + 2, List.of("act")), MS);
        ledger.observe(new JobDeadLettered("e", "job_dead", T0, 2, "act", 5, "Timeout", "no answer", "jobpipe.stage.act.dlq"), MS);
        ledger.accepted("job_stuck", 3, 0);
        ledger.observe(accepted("job_stuck", 1, RUN + 3, List.of("act")), MS);
        ledger.observe(new StageDispatched("e", "job_stuck", T0, 2, "act", 0, 1, T0.plusSeconds(30)), MS);

        JobLedger.Outcomes outcomes = ledger.outcomes();

        assertThat(outcomes.accepted()).isEqualTo(4);
        assertThat(List.of(outcomes.completed(), outcomes.failed(), outcomes.deadLettered(), outcomes.inFlight()))
                .containsExactly(1L, 1L, 1L, 1L);
        assertThat(ledger.allAcceptedTerminal()).isFalse();
        assertThat(outcomes.inFlightExamples()).containsExactly("job_stuck (last: StageDispatched act#1)");
        assertThat(outcomes.failureExamples()).hasSize(2).anySatisfy(e -> assertThat(e).contains("job_failed FAILED", "missing id"));
        assertThat(ledger.endToEnd().count()).isEqualTo(1);
    }

    @Test
    void shouldReopenAReplayedDeadLetterAndCountACancelledJobWithTheFailedOnes() {
        ledger.accepted("job_replayed", 0, 0);
        ledger.observe(accepted("job_replayed", 1, RUN, List.of("act")), MS);
        ledger.observe(new JobDeadLettered("e", "job_replayed", T0, 2, "act", 2, "DemoFailure", "asked", "dlq"), MS);
        assertThat(ledger.snapshot().deadLettered()).isEqualTo(1);
        ledger.observe(new JobEvent.JobReplayed("e", "job_replayed", T0, 3, "rpl_1", 1, "ops:ada", "fixed", null, "act",
                "act", false, null), MS);
        assertThat(ledger.snapshot().inFlight()).as("running again").isEqualTo(1);
        ledger.observe(new JobCompleted("e", "job_replayed", T0, 4), MS);
        ledger.accepted("job_cancelled", 1, 0);
        ledger.observe(accepted("job_cancelled", 1, RUN + 1, List.of("act")), MS);
        ledger.observe(new JobEvent.JobCancelled("e", "job_cancelled", T0, 2, "ops:bob", "withdrawn", null, "act", 1,
                "RUNNING"), MS);

        JobLedger.Outcomes outcomes = ledger.outcomes();

        assertThat(List.of(outcomes.completed(), outcomes.failed(), outcomes.deadLettered(), outcomes.inFlight()))
                .containsExactly(1L, 1L, 0L, 0L);
        assertThat(outcomes.terminalAfterTerminal()).isZero();
        assertThat(outcomes.failureExamples()).singleElement().asString().contains("cancelled by ops:bob: withdrawn");
    }

    @Test
    void shouldTellJobsOfThisRunWithoutAnAnswerFromOtherTraffic() {
        ledger.observe(accepted("job_unanswered", 1, RUN + 7, List.of("validate")), MS);
        ledger.observe(accepted("job_someone_else", 1, "gh-delivery-1", List.of("validate")), MS);
        ledger.observe(new JobCompleted("e", "job_someone_else", T0, 2), MS);

        JobLedger.Outcomes outcomes = ledger.outcomes();

        assertThat(outcomes.accepted()).isZero();
        assertThat(outcomes.unacknowledgedRunJobs()).isEqualTo(1);
        assertThat(outcomes.otherJobs()).isEqualTo(1);
        assertThat(ledger.allAcceptedTerminal()).isTrue();
    }

    @Test
    void shouldCountARedeliveredEventOnceAndReportMissingSequenceNumbers() {
        ledger.accepted("job_a", 0, 0);
        JobAccepted first = accepted("job_a", 1, RUN + 0, List.of("validate", "act"));
        ledger.observe(first, MS);
        ledger.observe(first, MS);
        ledger.observe(new JobCompleted("e", "job_a", T0, 4), 2 * MS);
        ledger.observe(new JobCompleted("e", "job_a", T0, 4), 3 * MS);

        JobLedger.Outcomes outcomes = ledger.outcomes();

        assertThat(outcomes.completed()).isEqualTo(1);
        assertThat(outcomes.duplicateEvents()).isEqualTo(2);
        assertThat(outcomes.sequenceGaps()).isEqualTo(2);
        assertThat(ledger.endToEnd().count()).isEqualTo(1);
    }

    @Test
    void shouldNotCountTwoRequestsThatGotTheSameJobIdAsTwoJobs() {
        assertThat(ledger.accepted("job_a", 0, 0)).isTrue();
        assertThat(ledger.accepted("job_a", 1, 10 * MS)).isFalse();

        assertThat(ledger.snapshot().accepted()).isEqualTo(1);
    }

    @Test
    void shouldBreakStageTimesDownInPipelineOrderWithFailedAttempts() {
        ledger.accepted("job_a", 0, 0);
        ledger.observe(accepted("job_a", 1, RUN + 0, List.of("validate", "act")), MS);
        ledger.observe(new StageDispatched("e", "job_a", T0, 2, "validate", 0, 1, null), MS);
        ledger.observe(new StageCompleted("e", "job_a", T0.plusMillis(8), 3, "validate", 1, T0, 3, "ok", NullNode.getInstance()), MS);
        ledger.observe(new StageDispatched("e", "job_a", T0.plusMillis(10), 4, "act", 1, 1, null), MS);
        ledger.observe(new StageAttemptFailed("e", "job_a", T0.plusMillis(20), 5, "act", 1, T0, 5, "Boom", "x", true,
                T0.plusMillis(200)), MS);
        ledger.observe(new StageDispatched("e", "job_a", T0.plusMillis(200), 6, "act", 1, 2, null), MS);
        ledger.observe(new StageCompleted("e", "job_a", T0.plusMillis(230), 7, "act", 2, T0, 25, "ok", NullNode.getInstance()), MS);
        ledger.observe(new JobCompleted("e", "job_a", T0.plusMillis(231), 8), 2 * MS);

        List<JobLedger.StageBreakdown> stages = ledger.stageBreakdown();

        assertThat(stages).extracting(JobLedger.StageBreakdown::stage).containsExactly("validate", "act");
        assertThat(stages.get(0).dispatchToResult().p50Ms()).isCloseTo(8, within(0.01));
        assertThat(stages.get(1).completions()).isEqualTo(1);
        assertThat(stages.get(1).failedAttempts()).isEqualTo(1);
        assertThat(stages.get(1).dispatchToResult().p50Ms()).isCloseTo(30, within(0.05));
        assertThat(stages.get(1).agentDuration().p50Ms()).isCloseTo(25, within(0.05));
        assertThat(ledger.typicalStageCount()).isEqualTo(2);
    }

    @Test
    void shouldCompareThePerStageHopWithTheBaselineHop() {
        BenchReport.Comparison comparison = BenchReport.Comparison.of(7, 70, 2);

        assertThat(comparison.perStageHopMs()).isEqualTo(10);
        assertThat(comparison.ratioToBaseline()).isEqualTo(5);
        assertThat(comparison.kafkaHopsPerJob()).isEqualTo(16);
        assertThat(comparison.hopFloorMs()).isEqualTo(32);
        assertThat(comparison.endToEndOverFloor()).isCloseTo(2.1875, within(1e-9));
    }

    private void runToCompletion(String jobId, int index) {
        ledger.accepted(jobId, index, 0);
        ledger.observe(accepted(jobId, 1, RUN + index, List.of("validate")), MS);
        ledger.observe(new JobCompleted("e", jobId, T0, 2), 5 * MS);
    }

    private static JobAccepted accepted(String jobId, long seq, String deliveryId, List<String> stages) {
        return new JobAccepted("e", jobId, T0, seq, "demo", deliveryId, "order.created", "req", "default", stages);
    }
}
