package io.jobpipe.status.api;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.status.TestEvents;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

class AttemptSummaryTest {
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");
    private static final BiFunction<String, String, Integer> FIVE = (pipeline, stage) -> 5;

    @Test
    void shouldSayWhichAttemptRunsOfHowManyAndTheLastErrorWhileRetrying() {
        String jobId = "job-1";
        List<JobEvent> events = TestEvents.successfulRun(jobId, T0).subList(0, 5);

        AttemptSummary waiting = AttemptSummary.of(events, FIVE, "default", false);

        assertThat(waiting.stage()).isEqualTo("normalize");
        assertThat(waiting.attempt()).isEqualTo(1);
        assertThat(waiting.attemptInRound()).isEqualTo(1);
        assertThat(waiting.allowed()).isEqualTo(5);
        assertThat(waiting.deadline()).isNull();
        assertThat(waiting.nextAttemptAt()).as("the retry's time").isEqualTo(T0.plusSeconds(5));
        assertThat(waiting.lastError()).isEqualTo(new AttemptSummary.LastError("normalize", 1, "Timeout",
                "agent did not answer", true, T0.plusSeconds(4)));

        AttemptSummary retrying = AttemptSummary.of(TestEvents.successfulRun(jobId, T0).subList(0, 6), FIVE, "default",
                false);
        assertThat(retrying.attemptInRound()).isEqualTo(2);
        assertThat(retrying.deadline()).isEqualTo(T0.plusSeconds(35));
        assertThat(retrying.nextAttemptAt()).isNull();
    }

    @Test
    void shouldCountTheAttemptsOfAReplayFromOneWhileTheirNumbersGoOn() {
        String jobId = "job-2";
        List<JobEvent> events = new ArrayList<>(TestEvents.deadLetteredAtEnrich(jobId, T0));
        events.add(TestEvents.replayed(jobId, T0, 11, "enrich"));
        events.add(new JobEvent.StageDispatched(TestEvents.eid(jobId, 12), jobId, T0.plusSeconds(12), 12, "enrich", 2, 6,
                T0.plusSeconds(42)));

        AttemptSummary summary = AttemptSummary.of(events, FIVE, "default", false);

        assertThat(summary.attempt()).isEqualTo(6);
        assertThat(summary.attemptInRound()).isEqualTo(1);
        assertThat(summary.lastError().errorClass()).as("the error before the replay").isEqualTo("HttpError");
    }

    @Test
    void shouldHaveNothingToSayBeforeTheFirstDispatchAndNoDeadlineOnceFinished() {
        assertThat(AttemptSummary.of(List.of(TestEvents.accepted("job-3", T0)), FIVE, "default", false)).isNull();
        AttemptSummary finished = AttemptSummary.of(TestEvents.successfulRun("job-4", T0), (p, s) -> null, "gone", true);
        assertThat(finished.allowed()).isNull();
        assertThat(finished.stage()).isEqualTo("enrich");
        assertThat(finished.deadline()).as("a finished job waits for nothing").isNull();
    }
}
