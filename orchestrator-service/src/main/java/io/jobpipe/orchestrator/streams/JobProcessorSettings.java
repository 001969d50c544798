package io.jobpipe.orchestrator.streams;

import io.jobpipe.core.kafka.TopicProvisioner;
import io.jobpipe.orchestrator.machine.MachineLimits;

import java.time.Duration;
import java.util.Objects;

/**
 * How the job processor schedules its work around the state machine.
 *
 * @param commitGap            least time between two commits the processor requests while records queue: they
 *                             share one transaction (a loaded thread batches)
 * @param commitQuiet          a record that comes at least this long after the previous one commits at once (the
 *                             thread was idle, so an idle hop waits for no commit); see {@link CommitPolicy}
 * @param finishedJobRetention how long a finished job stays in the {@code job-state} store
 * @param restartGrace         after a (re)start, an in-flight attempt times out no earlier than this long after it
 * @param deadLetterRetention  how long a dead-lettered job stays in the store, replayable
 * @param maxReplaysPerJob     replays one job may take before it is parked
 * @param maxRequestBytes      the largest stage request the processor sends; a larger one fails its job (Kafka
 *                             would refuse it, and under exactly-once that aborts the whole transaction)
 */
public record JobProcessorSettings(Duration commitGap, Duration commitQuiet, Duration finishedJobRetention,
                                   Duration restartGrace, Duration deadLetterRetention, int maxReplaysPerJob,
                                   int maxRequestBytes) {
    /** Below the topics' and producer's 32 MiB, leaving room for the record's headers and batch overhead. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = TopicProvisioner.MAX_MESSAGE_BYTES - 64 * 1024;

    /** Settings with the default dead-letter retention, replay cap and request size. */
    public JobProcessorSettings(Duration commitGap, Duration commitQuiet, Duration finishedJobRetention,
                                Duration restartGrace) {
        this(commitGap, commitQuiet, finishedJobRetention, restartGrace, MachineLimits.DEFAULT.deadLetterRetention(),
                MachineLimits.DEFAULT.maxReplaysPerJob(), DEFAULT_MAX_REQUEST_BYTES);
    }

    /** The same settings with another request-size limit. */
    public JobProcessorSettings withMaxRequestBytes(int bytes) {
        return new JobProcessorSettings(commitGap, commitQuiet, finishedJobRetention, restartGrace,
                deadLetterRetention, maxReplaysPerJob, bytes);
    }

    /** What the state machine is given of these settings; validates them too. */
    public MachineLimits limits() {
        return new MachineLimits(finishedJobRetention, deadLetterRetention, maxReplaysPerJob);
    }

    public JobProcessorSettings {
        Objects.requireNonNull(commitGap, "commitGap");
        Objects.requireNonNull(commitQuiet, "commitQuiet");
        Objects.requireNonNull(finishedJobRetention, "finishedJobRetention");
        Objects.requireNonNull(restartGrace, "restartGrace");
        if (commitGap.isNegative() || commitQuiet.isNegative() || finishedJobRetention.isNegative() || restartGrace.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative: " + this);
        }
        Objects.requireNonNull(deadLetterRetention, "deadLetterRetention");
        new MachineLimits(finishedJobRetention, deadLetterRetention, maxReplaysPerJob);
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("maxRequestBytes must be at least 1024, got " + maxRequestBytes);
        }
    }
}
