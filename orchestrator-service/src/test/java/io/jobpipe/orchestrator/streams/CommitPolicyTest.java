package io.jobpipe.orchestrator.streams;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class CommitPolicyTest {
    private final CommitPolicy policy = new CommitPolicy(Duration.ofMillis(50), Duration.ofMillis(20));

    @Test
    void shouldCommitTheFirstRecordAtOnce() {
        assertThat(policy.commitNow(1_000)).isTrue();
    }

    @Test
    void shouldCommitEveryRecordThatFollowsAQuietSpellAtOnce() {
        assertThat(policy.commitNow(1_000)).isTrue();
        assertThat(policy.commitNow(1_020)).isTrue();
        assertThat(policy.commitNow(1_045)).isTrue();
    }

    @Test
    void shouldLetRecordsInQuickSuccessionShareATransactionAtMostEveryGap() {
        assertThat(policy.commitNow(1_000)).isTrue();
        assertThat(policy.commitNow(1_005)).isFalse();
        assertThat(policy.commitNow(1_015)).isFalse();
        assertThat(policy.commitNow(1_030)).isFalse();
        assertThat(policy.commitNow(1_049)).isFalse();
        assertThat(policy.commitNow(1_050)).isTrue();
        assertThat(policy.commitNow(1_060)).isFalse();
    }

    @Test
    void shouldCountAGapFilledByACommitAsBusy() {
        // Records buffered during a 15 ms commit arrive 15 ms after the one that asked for it: still busy.
        assertThat(policy.commitNow(1_000)).isTrue();
        assertThat(policy.commitNow(1_015)).isFalse();
    }

    @Test
    void shouldCommitATimerChangeOnlyOnceTheGapHasPassed() {
        assertThat(policy.commitIfGapPassed(1_000)).isTrue();
        assertThat(policy.commitIfGapPassed(1_010)).isFalse();
        assertThat(policy.commitNow(1_020)).isTrue();
        assertThat(policy.commitIfGapPassed(1_060)).isFalse();
        assertThat(policy.commitIfGapPassed(1_070)).isTrue();
    }
}
