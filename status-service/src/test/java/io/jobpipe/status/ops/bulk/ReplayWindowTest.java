package io.jobpipe.status.ops.bulk;

import io.jobpipe.status.store.JobProgress;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which replayed jobs a bulk replay still counts as running. */
class ReplayWindowTest {

    @Test
    void shouldSettleAJobOnlyOnceItRestsAfterTheEventItWasSelectedAt() {
        ReplayWindow window = new ReplayWindow();
        window.sent("not-projected-yet", 3);
        window.sent("running", 3);
        window.sent("completed", 3);
        window.sent("dead-again", 3);
        window.sent("refused", 3);

        int settled = window.settle(Map.of(
                "not-projected-yet", new JobProgress("DEAD_LETTERED", 3),
                "running", new JobProgress("RUNNING", 6),
                "completed", new JobProgress("COMPLETED", 9),
                "dead-again", new JobProgress("DEAD_LETTERED", 8),
                "refused", new JobProgress("DEAD_LETTERED", 4)));

        assertThat(settled).isEqualTo(3);
        assertThat(window.unsettledJobs()).containsExactlyInAnyOrder("not-projected-yet", "running");
    }

    @Test
    void shouldKeepAJobTheReadModelDoesNotKnow() {
        ReplayWindow window = new ReplayWindow();
        window.sent("gone", 3);

        assertThat(window.settle(Map.of())).isZero();
        assertThat(window.unsettled()).isEqualTo(1);
    }
}
