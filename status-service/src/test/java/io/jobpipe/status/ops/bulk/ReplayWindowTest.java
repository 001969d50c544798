package io.jobpipe.status.ops.bulk;

import io.jobpipe.status.store.JobProgress;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which replayed jobs a bulk replay still counts as running. */
class ReplayWindowTest {
    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void shouldSettleAJobOnlyOnceItRestsAfterTheEventItWasSelectedAt() {
        ReplayWindow window = new ReplayWindow(Duration.ofMinutes(2));
        window.sent("not-projected-yet", 3, T0);
        window.sent("running", 3, T0);
        window.sent("completed", 3, T0);
        window.sent("dead-again", 3, T0);
        window.sent("refused", 3, T0);

        int settled = window.settle(Map.of(
                "not-projected-yet", new JobProgress("DEAD_LETTERED", 3),
                "running", new JobProgress("RUNNING", 6),
                "completed", new JobProgress("COMPLETED", 9),
                "dead-again", new JobProgress("DEAD_LETTERED", 8),
                "refused", new JobProgress("DEAD_LETTERED", 4)), T0.plusSeconds(1));

        assertThat(settled).isEqualTo(3);
        assertThat(window.unsettledJobs()).containsExactlyInAnyOrder("not-projected-yet", "running");
    }

    @Test
    void shouldKeepAJobTheReadModelDoesNotKnow() {
        ReplayWindow window = new ReplayWindow(Duration.ofMinutes(2));
        window.sent("gone", 3, T0);

        assertThat(window.settle(Map.of(), T0.plusSeconds(1))).isZero();
        assertThat(window.unsettled()).isEqualTo(1);
    }

    @Test
    void shouldLetGoOfAJobWithNoSignOfItsReplayAfterTheGiveUpTimeButNotOfOneThatRuns() {
        ReplayWindow window = new ReplayWindow(Duration.ofMinutes(2));
        window.sent("forgotten", 3, T0);
        window.sent("long-running", 3, T0);
        Map<String, JobProgress> now = Map.of("forgotten", new JobProgress("DEAD_LETTERED", 3),
                "long-running", new JobProgress("RUNNING", 7));

        assertThat(window.settle(now, T0.plusSeconds(119))).isZero();
        assertThat(window.settle(now, T0.plusSeconds(120))).isEqualTo(1);

        assertThat(window.unsettledJobs()).containsExactly("long-running");
        assertThat(window.unanswered()).isEqualTo(1);
    }
}
