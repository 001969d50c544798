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
    void shouldDropRunningTimerWhenJobEnds() {
        index.put(new Timer("job_a", Timer.Kind.ATTEMPT_TIMEOUT, "act", 1), 1_000);
        index.put(Timer.forget("job_a"), 60_000);

        assertThat(index.takeDue(59_999, 10)).isEmpty();
        assertThat(index.takeDue(60_000, 10)).extracting(TimerIndex.Entry::timer).containsExactly(Timer.forget("job_a"));
    }

    @Test
    void shouldTakeDueTimersEarliestFirstAndKeepTwoJobsDueAtOnce() {
        index.put(new Timer("job_b", Timer.Kind.RETRY_DUE, "act", 1), 2_000);
        index.put(new Timer("job_a", Timer.Kind.RETRY_DUE, "act", 1), 2_000);
        index.put(Timer.forget("job_c"), 1_000);
        index.put(Timer.forget("job_d"), 9_000);

        assertThat(index.earliestDueMs()).hasValue(1_000);
        assertThat(index.takeDue(2_000, 2)).extracting(e -> e.timer().jobId()).containsExactly("job_a", "job_b");
        assertThat(index.takeDue(2_000, 10)).extracting(TimerIndex.Entry::timer).containsExactly(Timer.forget("job_c"));
        assertThat(index.earliestDueMs()).hasValue(9_000);
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.takeDue(9_000, 10)).extracting(e -> e.timer().jobId()).containsExactly("job_d");
        assertThat(index.earliestDueMs()).isEmpty();
    }
}
