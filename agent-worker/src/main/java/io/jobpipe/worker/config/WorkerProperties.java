package io.jobpipe.worker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.List;

/**
 * {@code jobpipe.worker.*}.
 *
 * @param workspace       the folder built-in agents write into (sandboxed)
 * @param maxPollRecords  the most records one share consumer acquires per poll. Each served stage gets as many
 *                        consumers (one poll thread each) as hold its {@code concurrency} at this many records each
 *                        ({@code ServedStage.recordsPerPoll}): 50 (default) gives a stage of concurrency up to 50 one
 *                        consumer, whose poll cycle carries a whole batch (quick agents); 1 gives every agent slot its
 *                        own consumer, so one slow agent never holds up a free slot (slow agents). docs/DECISIONS.md
 * @param pollTimeout     how long one poll waits for records
 * @param sendTimeout     how long a result may take to be acknowledged by Kafka before its request is released;
 *                        well inside the 15 s record lock, so the release still counts
 * @param startupRetry    wait between attempts to reach Kafka at startup
 * @param stages          the stages this process serves (comma-separated in {@code JOBPIPE_WORKER_STAGES}); empty
 *                        means every stage of every pipeline
 */
@ConfigurationProperties("jobpipe.worker")
public record WorkerProperties(
        @Bindable(defaultValue = ".jobpipe/workspace") String workspace,
        @Bindable(defaultValue = "50") int maxPollRecords,
        @Bindable(defaultValue = "1s") Duration pollTimeout,
        @Bindable(defaultValue = "10s") Duration sendTimeout,
        @Bindable(defaultValue = "2s") Duration startupRetry,
        @Bindable(defaultValue = "0.5") double heartbeatFraction,
        @Nullable List<String> stages) {

    /** Properties for every stage, with heartbeats every half of a stage timeout. */
    public WorkerProperties(String workspace, int maxPollRecords, Duration pollTimeout, Duration sendTimeout,
                            Duration startupRetry) {
        this(workspace, maxPollRecords, pollTimeout, sendTimeout, startupRetry, 0.5, List.of());
    }

    public WorkerProperties {
        stages = stages == null ? List.of() : stages.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (!(heartbeatFraction > 0 && heartbeatFraction < 1)) {
            throw new IllegalArgumentException("jobpipe.worker.heartbeat-fraction must be between 0 and 1, got "
                    + heartbeatFraction);
        }
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("jobpipe.worker.max-poll-records must be >= 1, got " + maxPollRecords);
        }
    }
}
