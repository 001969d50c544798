package io.jobpipe.orchestrator.streams;

import io.jobpipe.orchestrator.machine.Timer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimerIndexTest {
    final TimerIndex index = new TimerIndex();

    @Test
    void shouldReplaceJobsEarlierTimerWithTheLatestScheduled() {
        index.put(new Timer("job_a", Timer.Kind.ATTEMPT_TIMEOUT, "act", 1), 1_000);
        index.put(new Timer("job_a", Timer.Kind.ATTEMPT_TIMEOUT, "act", 1), 5_000);

        assertThat(index.takeDue(4_999, 10)).isEmpty();
        assertThat(index.takeDue(5_000, 10)).extracting(TimerIndex.Entry::dueMs).containsExactly(5_000L);
        assertThat(index.size()).isZero();
    }

    @Test
    void shouldTakeDueTimersEarliestFirstAndKeepTwoJobsDueAtOnce() {
        index.put(new Timer("job_b", Timer.Kind.RETRY_DUE, "act", 1), 2_000);
        index.put(new Timer("job_a", Timer.Kind.RETRY_DUE, "act", 1), 2_000);
        index.put(Timer.forget("job_c"), 1_000);
        index.put(Timer.forget("job_d"), 9_000);

        assertThat(index.takeDue(2_000, 2)).extracting(e -> e.timer().jobId()).containsExactly("job_c", "job_a");
        assertThat(index.earliestDueMs()).hasValue(2_000);
        assertThat(index.takeDue(2_000, 10)).extracting(e -> e.timer().jobId()).containsExactly("job_b");
        index.remove("job_d");
        assertThat(index.earliestDueMs()).isEmpty();
    }
}
