package io.jobpipe.status.projection;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.status.TestEvents;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.jobpipe.status.TestEvents.PARSED_LOG;
import static io.jobpipe.status.TestEvents.PARSER_TIMEOUT_LOG;
import static io.jobpipe.status.projection.JobProjectionRulesTest.applyAll;
import static org.assertj.core.api.Assertions.assertThat;

/** A stage shows the log of its latest finished attempt, and which attempt that was. */
class StageLogRulesTest {
    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");
    private static final String JOB = "job-log";

    private static StageView normalizeAfter(List<JobEvent> events) {
        return applyAll(events).stage("normalize").orElseThrow();
    }

    @Test
    void shouldKeepTheLogOfTheLatestFinishedAttemptWhileTheNextOneRuns() {
        List<JobEvent> run = TestEvents.loggedRun(JOB, T0);

        StageView failed = normalizeAfter(run.subList(0, 5));
        StageView retrying = normalizeAfter(run.subList(0, 6));
        StageView succeeded = normalizeAfter(run);

        assertThat(failed.status()).isEqualTo(StageStatus.RETRYING);
        assertThat(failed.log()).isEqualTo(PARSER_TIMEOUT_LOG);
        assertThat(failed.logAttempt()).isEqualTo(1);
        assertThat(retrying.status()).isEqualTo(StageStatus.RUNNING);
        assertThat(retrying.log()).as("attempt 2 has not finished yet").isEqualTo(PARSER_TIMEOUT_LOG);
        assertThat(retrying.logAttempt()).isEqualTo(1);
        assertThat(succeeded.log()).isEqualTo(PARSED_LOG);
        assertThat(succeeded.logAttempt()).isEqualTo(2);
        assertThat(applyAll(run).stage("validate").orElseThrow().log()).isNull();
    }

    @Test
    void shouldShowNoLogWhenTheLatestAttemptLoggedNothingOrTheStageRunsAgainAfterAReplay() {
        List<JobEvent> quietRetry = new ArrayList<>(TestEvents.successfulRun(JOB, T0));
        quietRetry.set(4, ((JobEvent.StageAttemptFailed) quietRetry.get(4)).withLog(PARSER_TIMEOUT_LOG));
        List<JobEvent> replayed = new ArrayList<>(TestEvents.loggedRun(JOB, T0).subList(0, 5));
        replayed.add(new JobEvent.JobDeadLettered("e6", JOB, T0.plusSeconds(6), 6, "normalize", 1, "Timeout",
                "agent did not answer", "jobpipe.stage.normalize.dlq"));
        replayed.add(new JobEvent.JobReplayed("e7", JOB, T0.plusSeconds(7), 7, "rp-1", 1, "ops-alice", "parser fixed",
                null, "normalize", "normalize", false, null));

        assertThat(normalizeAfter(quietRetry).log()).isNull();
        assertThat(normalizeAfter(quietRetry).logAttempt()).isNull();
        assertThat(normalizeAfter(replayed.subList(0, 6)).log()).as("a dead letter keeps the failed attempt's log")
                .isEqualTo(PARSER_TIMEOUT_LOG);
        assertThat(normalizeAfter(replayed).log()).isNull();
    }
}
