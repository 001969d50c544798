package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.databind.node.NullNode;
import io.jobpipe.core.event.JobEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JobEventLineTest {
    private static final Instant T0 = Instant.parse("2025-11-20T10:00:00.123Z");

    @Test
    void shouldShowTimeSeqTypeStageDurationAndSummaryOfACompletedStage() {
        String line = JobEventLine.format(new JobEvent.StageCompleted("e", "job_a", T0, 3, "normalize", 2, T0, 1450,
                "github push by octocat", NullNode.getInstance()), ZoneOffset.UTC);

        assertThat(line).startsWith("10:00:00.123  #3   StageCompleted")
                .contains("normalize#2", "1.5 s", "github push by octocat");
    }

    @Test
    void shouldShowTheErrorAndTheRetryTimeOfAFailedAttempt() {
        String line = JobEventLine.format(new JobEvent.StageAttemptFailed("e", "job_a", T0, 4, "act", 1, T0, 30,
                "HttpAgentError", "502 from agent", true, T0.plusMillis(200)), ZoneOffset.UTC);

        assertThat(line).contains("act#1", "30 ms", "HttpAgentError: 502 from agent; retry at 10:00:00.323");
    }

    @Test
    void shouldShowTheStagesAJobWillRun() {
        String line = JobEventLine.format(new JobEvent.JobAccepted("e", "job_a", T0, 1, "demo", "d-1", "push", "r",
                "default", List.of("validate", "notify")), ZoneOffset.UTC);

        assertThat(line).contains("JobAccepted", "pipeline default: validate → notify", "delivery d-1");
    }

    @Test
    void shouldNameTheDeadLetterTopicOfADeadLetteredJob() {
        String line = JobEventLine.format(new JobEvent.JobDeadLettered("e", "job_a", T0, 9, "act", 5, "Timeout",
                "no answer", "jobpipe.stage.act.dlq"), ZoneOffset.UTC);

        assertThat(line).contains("#9", "JobDeadLettered", "Timeout: no answer after 5 attempts → jobpipe.stage.act.dlq");
    }

    @Test
    void shouldSayWhoReplayedOrCancelledAJobAndWhyAReplayWasRefused() {
        String replayed = JobEventLine.format(new JobEvent.JobReplayed("e", "job_a", T0, 10, "rpl_1", 2, "ops:ada",
                "hook fixed", "stage=act", "act", "enrich", false, null), ZoneOffset.UTC);
        String refused = JobEventLine.format(new JobEvent.ReplayRefused("e", "job_a", T0, 11, "rpl_2", "ops:ada",
                "again", null, "the job is RUNNING; only a DEAD_LETTERED job can be replayed", false), ZoneOffset.UTC);
        String cancelled = JobEventLine.format(new JobEvent.JobCancelled("e", "job_a", T0, 12, "ops:bob",
                "order withdrawn", null, "act", 2, "RUNNING"), ZoneOffset.UTC);

        assertThat(replayed).contains("#10", "JobReplayed", "enrich", "replay 2 (rpl_1) by ops:ada: hook fixed")
                .doesNotContain("patched");
        assertThat(refused).contains("ReplayRefused", "replay rpl_2 by ops:ada refused: the job is RUNNING");
        assertThat(cancelled).contains("JobCancelled", "act#2", "cancelled by ops:bob: order withdrawn");
    }

    @Test
    void shouldSayWhichBreakerHeldAJobAndHowItWasReleased() {
        String held = JobEventLine.format(new JobEvent.JobHeld("e", "job_a", T0, 5, "enrich", 2, "default/enrich",
                "12 of the last 20 attempts failed"), ZoneOffset.UTC);
        String probe = JobEventLine.format(new JobEvent.JobReleased("e", "job_a", T0, 6, "enrich", "default/enrich",
                true, null), ZoneOffset.UTC);
        String closed = JobEventLine.format(new JobEvent.JobReleased("e", "job_a", T0, 6, "enrich", "default/enrich",
                false, "closed by alice"), ZoneOffset.UTC);

        assertThat(held).contains("#5", "JobHeld", "enrich#2",
                "held: breaker default/enrich is open (12 of the last 20 attempts failed)");
        assertThat(probe).contains("JobReleased", "released as the probe of breaker default/enrich");
        assertThat(closed).contains("released: breaker default/enrich closed (closed by alice)");
    }
}
