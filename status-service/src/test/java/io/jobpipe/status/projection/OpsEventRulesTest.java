package io.jobpipe.status.projection;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobStatus;
import io.jobpipe.status.TestEvents;
import org.junit.jupiter.api.Test;

import static io.jobpipe.status.projection.JobProjectionRulesTest.applyAll;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The projection of an operator's work: JobReplayed, ReplayRefused and JobCancelled. */
class OpsEventRulesTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final String JOB = "job-ops";

    @Test
    void shouldRunAgainFromTheDeadLetteredStageWhenReplayedWithoutFromStage() {
        List<JobEvent> events = new ArrayList<>(TestEvents.deadLetteredAtEnrich(JOB, T0));
        events.add(TestEvents.replayed(JOB, T0, 11, null));

        JobView job = applyAll(events);

        assertThat(job.state()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.finishedAt()).isNull();
        assertThat(job.error()).isNull();
        assertThat(job.currentStage()).isEqualTo("enrich");
        assertThat(job.stages()).extracting(StageView::status)
                .containsExactly(StageStatus.SUCCEEDED, StageStatus.SUCCEEDED, StageStatus.PENDING);
        StageView enrich = job.stage("enrich").orElseThrow();
        assertThat(enrich.attempts()).isEqualTo(5);
        assertThat(enrich.error()).isNull();
        assertThat(enrich.endedAt()).isNull();
    }

    @Test
    void shouldResetEveryStageAtAndAfterFromStage() {
        List<JobEvent> events = new ArrayList<>(TestEvents.deadLetteredAtEnrich(JOB, T0));
        events.add(TestEvents.replayed(JOB, T0, 11, "normalize"));

        JobView job = applyAll(events);

        assertThat(job.currentStage()).isEqualTo("normalize");
        assertThat(job.stages()).extracting(StageView::status)
                .containsExactly(StageStatus.SUCCEEDED, StageStatus.PENDING, StageStatus.PENDING);
        assertThat(job.stage("normalize").orElseThrow().output()).isNull();
        assertThat(job.stage("validate").orElseThrow().summary()).isEqualTo("payload valid");
    }

    @Test
    void shouldChangeNothingButTheSeqOnARefusedReplay() {
        List<JobEvent> events = new ArrayList<>(TestEvents.deadLetteredAtEnrich(JOB, T0));
        JobView before = applyAll(events);
        events.add(new JobEvent.ReplayRefused(TestEvents.eid(JOB, 11), JOB, T0.plusSeconds(11), 11, "rpl_9",
                "ops:alice", "again", null, "replayed 3 times, the limit", true));

        JobView after = applyAll(events);

        assertThat(after.lastSeq()).isEqualTo(11);
        assertThat(after.state()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(after.error()).isEqualTo(before.error());
        assertThat(after.finishedAt()).isEqualTo(before.finishedAt());
        assertThat(after.stages()).isEqualTo(before.stages());
    }

    @Test
    void shouldCancelARunningJobAndMarkItsRunningStageCancelled() {
        List<JobEvent> events = new ArrayList<>(TestEvents.successfulRun(JOB, T0).subList(0, 4));
        events.add(new JobEvent.JobCancelled(TestEvents.eid(JOB, 5), JOB, T0.plusSeconds(20), 5, "ops:bob",
                "customer asked", null, "normalize", 1, "RUNNING"));

        JobView job = applyAll(events);

        assertThat(job.state()).isEqualTo(JobStatus.CANCELLED);
        assertThat(job.finishedAt()).isEqualTo(T0.plusSeconds(20));
        assertThat(job.error()).isEqualTo("cancelled by ops:bob (customer asked)");
        StageView normalize = job.stage("normalize").orElseThrow();
        assertThat(normalize.status()).isEqualTo(StageStatus.CANCELLED);
        assertThat(normalize.error()).contains("cancelled by ops:bob");
        assertThat(job.stage("validate").orElseThrow().status()).isEqualTo(StageStatus.SUCCEEDED);
        assertThat(job.stage("enrich").orElseThrow().status()).isEqualTo(StageStatus.PENDING);
    }

    @Test
    void shouldCancelADeadLetteredJobWithoutARunningStage() {
        List<JobEvent> events = new ArrayList<>(TestEvents.deadLetteredAtEnrich(JOB, T0));
        events.add(new JobEvent.JobCancelled(TestEvents.eid(JOB, 11), JOB, T0.plusSeconds(30), 11, "ops:bob",
                "give up", null, null, 0, "DEAD_LETTERED"));

        JobView job = applyAll(events);

        assertThat(job.state()).isEqualTo(JobStatus.CANCELLED);
        assertThat(job.finishedAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(job.stage("enrich").orElseThrow().status()).isEqualTo(StageStatus.DEAD_LETTERED);
    }
}
