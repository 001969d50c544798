package io.jobpipe.orchestrator.machine;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the state machine remembers jobs and how far operators may push one.
 *
 * @param finishedJobRetention how long a COMPLETED, FAILED or CANCELLED job is remembered (duplicate requests and
 *                             late results are recognised that long)
 * @param deadLetterRetention  how long a DEAD_LETTERED job is remembered: it can be replayed only while it is, so
 *                             this matches the dead-letter topics' retention (7 days by default)
 * @param maxReplaysPerJob     replays one job may take; the next is refused and the job is parked (it stays
 *                             dead-lettered and says why), so a job that keeps failing cannot loop forever
 */
public record MachineLimits(Duration finishedJobRetention, Duration deadLetterRetention, int maxReplaysPerJob) {
    public static final MachineLimits DEFAULT = new MachineLimits(Duration.ofMinutes(15), Duration.ofDays(7), 3);

    public MachineLimits {
        Objects.requireNonNull(finishedJobRetention, "finishedJobRetention");
        Objects.requireNonNull(deadLetterRetention, "deadLetterRetention");
        if (finishedJobRetention.isNegative() || deadLetterRetention.isNegative()) {
            throw new IllegalArgumentException("retentions must not be negative, got " + finishedJobRetention
                    + " and " + deadLetterRetention);
        }
        if (maxReplaysPerJob < 0) {
            throw new IllegalArgumentException("maxReplaysPerJob must not be negative, got " + maxReplaysPerJob);
        }
    }

    /** The same limits with another retention for finished jobs. */
    public MachineLimits withFinishedJobRetention(Duration retention) {
        return new MachineLimits(retention, deadLetterRetention, maxReplaysPerJob);
    }
}
