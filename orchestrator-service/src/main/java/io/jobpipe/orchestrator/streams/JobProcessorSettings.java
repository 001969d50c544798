package io.jobpipe.orchestrator.streams;

import java.time.Duration;
import java.util.Objects;

/**
 * How the job processor schedules its work around the state machine.
 *
 * @param commitGap            least time between two commits the processor requests; a record that finds the last
 *                             request older commits at once (an idle hop waits for no commit interval), records
 *                             closer together share one transaction (a loaded thread still batches)
 * @param finishedJobRetention how long a finished job stays in the {@code job-state} store
 * @param restartGrace         after a (re)start, an in-flight attempt times out no earlier than this long after it
 */
public record JobProcessorSettings(Duration commitGap, Duration finishedJobRetention, Duration restartGrace) {

    public JobProcessorSettings {
        Objects.requireNonNull(commitGap, "commitGap");
        Objects.requireNonNull(finishedJobRetention, "finishedJobRetention");
        Objects.requireNonNull(restartGrace, "restartGrace");
        if (commitGap.isNegative() || finishedJobRetention.isNegative() || restartGrace.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative: " + this);
        }
    }
}
