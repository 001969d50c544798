package io.jobpipe.orchestrator.streams;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class CommitPolicyTest {
    private final CommitPolicy policy = new CommitPolicy(Duration.ofMillis(50), Duration.ofMillis(20));

    /** A record processed at {@code nowMs} that waited 30 ms in a buffer (under load). */
    private boolean buffered(long nowMs) {
        return policy.commitNow(nowMs, nowMs - 30);
    }

    /** A record processed 2 ms after its producer stamped it: it did not wait for the thread. */
    private boolean fresh(long nowMs) {
        return policy.commitNow(nowMs, nowMs - 2);
    }

    @Test
    void shouldCommitTheFirstRecordAtOnce() {
        assertThat(buffered(1_000)).isTrue();
    }

    @Test
    void shouldCommitEveryRecordThatFollowsAQuietSpellAtOnce() {
        assertThat(buffered(1_000)).isTrue();
        assertThat(buffered(1_020)).isTrue();
        assertThat(buffered(1_045)).isTrue();
    }

    @Test
    void shouldLetRecordsInQuickSuccessionShareATransactionAtMostEveryGap() {
        assertThat(buffered(1_000)).isTrue();
        assertThat(buffered(1_005)).isFalse();
        assertThat(buffered(1_015)).isFalse();
        assertThat(buffered(1_030)).isFalse();
        assertThat(buffered(1_049)).isFalse();
        assertThat(buffered(1_050)).isTrue();
        assertThat(buffered(1_060)).isFalse();
    }

    @Test
    void shouldCountAGapFilledByACommitAsBusy() {
        // Records buffered during a 15 ms commit arrive 15 ms after the one that asked for it: still busy.
        assertThat(buffered(1_000)).isTrue();
        assertThat(buffered(1_015)).isFalse();
    }

    @Test
    void shouldCommitATimerChangeOnlyOnceTheGapHasPassed() {
        assertThat(policy.commitIfGapPassed(1_000)).isTrue();
        assertThat(policy.commitIfGapPassed(1_010)).isFalse();
        assertThat(buffered(1_020)).isTrue();
        assertThat(policy.commitIfGapPassed(1_060)).isFalse();
        assertThat(policy.commitIfGapPassed(1_070)).isTrue();
    }

    @Test
    void shouldCommitAFreshRecordAtOnceEvenRightAfterTheLastOne() {
        // One job's chain at idle: its next result comes one hop (12 ms) later, not waiting behind anything.
        assertThat(fresh(1_000)).isTrue();
        assertThat(fresh(1_012)).isTrue();
        assertThat(fresh(1_024)).isTrue();
    }

    @Test
    void shouldNotCommitFreshRecordsCloserThanTheFreshSpacing() {
        assertThat(fresh(1_000)).isTrue();
        assertThat(fresh(1_005)).isFalse();
        assertThat(fresh(1_010)).isTrue();
    }

    @Test
    void shouldCountARecordStampedByAClockThatRunsAheadAsFreshOnlyWithinTheMargin() {
        assertThat(buffered(1_000)).isTrue();
        assertThat(policy.commitNow(1_012, 1_012 + CommitPolicy.FRESH_MS)).isTrue();
        assertThat(policy.commitNow(1_024, 1_024 + CommitPolicy.FRESH_MS + 40)).isFalse();
    }

    @Test
    void shouldBoundFreshCommitsBySecondWhateverTheTimestampsSay() {
        // A producer clock that agrees too well (or skew) must not turn load into a commit per record.
        int commits = 0;
        for (long now = 1_000; now < 11_000; now += 10) {
            if (fresh(now)) {
                commits++;
            }
        }
        // Ten seconds: the budget's refill plus its initial burst, and the gap's commits (at most 20 a second).
        assertThat(commits).isLessThanOrEqualTo(10 * (CommitPolicy.FRESH_COMMITS_PER_SECOND + 20)
                + CommitPolicy.FRESH_COMMITS_PER_SECOND);
        assertThat(commits).isGreaterThanOrEqualTo(10 * CommitPolicy.FRESH_COMMITS_PER_SECOND);
    }
}
