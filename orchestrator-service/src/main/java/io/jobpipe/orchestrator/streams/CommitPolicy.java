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
 */
final class CommitPolicy {
    private final long gapMs;
    private final long quietMs;
    private long lastRequestMs = Long.MIN_VALUE;
    private long lastRecordMs = Long.MIN_VALUE;

    CommitPolicy(Duration gap, Duration quiet) {
        this.gapMs = gap.toMillis();
        this.quietMs = quiet.toMillis();
    }

    /**
     * A record changed something and its outputs wait for a commit.
     *
     * @return whether to request a commit now; a {@code true} is remembered as the last request
     */
    boolean commitNow(long nowMs) {
        boolean idleBefore = lastRecordMs == Long.MIN_VALUE || nowMs - lastRecordMs >= quietMs;
        lastRecordMs = nowMs;
        return idleBefore ? request(nowMs) : commitIfGapPassed(nowMs);
    }

    /** Something other than a record (a timer) changed state: commit unless one was requested within the gap. */
    boolean commitIfGapPassed(long nowMs) {
        return lastRequestMs == Long.MIN_VALUE || nowMs - lastRequestMs >= gapMs ? request(nowMs) : false;
    }

    /** Whether this policy was made for these settings (a thread may host applications with different ones). */
    boolean follows(Duration gap, Duration quiet) {
        return gapMs == gap.toMillis() && quietMs == quiet.toMillis();
    }

    private boolean request(long nowMs) {
        lastRequestMs = nowMs;
        return true;
    }
}
