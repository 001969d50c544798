package io.jobpipe.orchestrator.streams;

import java.time.Duration;

/**
 * When the job processor asks Kafka Streams to commit. Under exactly-once a hop's outputs are invisible to
 * read_committed workers until the transaction commits, so an idle hop should commit at once; but a commit
 * blocks the stream thread for several broker round trips, and Kafka Streams halves its processing batch after
 * every commit, so a loaded thread that commits after each record does little but commit.
 *
 * <p>The policy follows the load by watching the gaps between records: a record that comes after at least
 * {@code quiet} without any means the thread is idle, so it commits at once; records that follow each other
 * closer than that (a commit in between counts as busy, since records buffer while it runs) share a transaction,
 * and commits are spaced at least {@code gap} apart. One instance serves one stream thread: its tasks commit
 * together.
 *
 * <p>A gap between records cannot tell one job's fast chain from load: at idle a job's next result comes one hop
 * (~12 ms) after the previous record, which reads as busy, so every second hop waited for the gap. A record that
 * is <em>fresh</em> (processed within {@link #FRESH_MS} of its own timestamp) did not wait in a buffer, so it
 * commits at once too, provided the last request is {@link #FRESH_SPACING_MS} old and the fresh-commit budget
 * ({@link #FRESH_COMMITS_PER_SECOND}) allows. Under load records wait behind each commit and are not fresh. The
 * budget bounds the damage when clocks disagree (the timestamp is the producer's): skew can at worst add
 * {@link #FRESH_COMMITS_PER_SECOND} commits a second, never a commit per record.
 */
final class CommitPolicy {
    static final long FRESH_MS = 8;
    static final long FRESH_SPACING_MS = 10;
    static final int FRESH_COMMITS_PER_SECOND = 20;
    private final long gapMs;
    private final long quietMs;
    private static final long NEVER = Long.MIN_VALUE;
    private long lastRequestMs = NEVER;
    private long lastRecordMs = NEVER;
    private double freshBudget = FRESH_COMMITS_PER_SECOND;
    private long freshBudgetAtMs = NEVER;

    CommitPolicy(Duration gap, Duration quiet) {
        this.gapMs = gap.toMillis();
        this.quietMs = quiet.toMillis();
    }

    /**
     * A record changed something and its outputs wait for a commit.
     *
     * @param recordTimestampMs the record's own timestamp (its producer's clock)
     * @return whether to request a commit now; a {@code true} is remembered as the last request
     */
    boolean commitNow(long nowMs, long recordTimestampMs) {
        boolean idleBefore = since(lastRecordMs, nowMs) >= quietMs;
        lastRecordMs = nowMs;
        if (idleBefore) {
            return request(nowMs);
        }
        boolean fresh = Math.abs(nowMs - recordTimestampMs) <= FRESH_MS;
        if (fresh && since(lastRequestMs, nowMs) >= FRESH_SPACING_MS && takeFreshBudget(nowMs)) {
            return request(nowMs);
        }
        return commitIfGapPassed(nowMs);
    }

    /** Something other than a record (a timer) changed state: commit unless one was requested within the gap. */
    boolean commitIfGapPassed(long nowMs) {
        return since(lastRequestMs, nowMs) >= gapMs && request(nowMs);
    }

    /** Whether this policy was made for these settings (a thread may host applications with different ones). */
    boolean follows(Duration gap, Duration quiet) {
        return gapMs == gap.toMillis() && quietMs == quiet.toMillis();
    }

    private boolean takeFreshBudget(long nowMs) {
        long refillMs = Math.max(0, since(freshBudgetAtMs, nowMs));
        freshBudget = Math.min(FRESH_COMMITS_PER_SECOND, freshBudget + refillMs * (FRESH_COMMITS_PER_SECOND / 1000.0));
        freshBudgetAtMs = Math.max(nowMs, freshBudgetAtMs);
        if (freshBudget < 1) {
            return false;
        }
        freshBudget -= 1;
        return true;
    }

    /** Milliseconds from {@code thenMs} to {@code nowMs}; from {@link #NEVER}, longer than any threshold. */
    private static long since(long thenMs, long nowMs) {
        return thenMs == NEVER ? Long.MAX_VALUE : nowMs - thenMs;
    }

    private boolean request(long nowMs) {
        lastRequestMs = nowMs;
        return true;
    }
}
