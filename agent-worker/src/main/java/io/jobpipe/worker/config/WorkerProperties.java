package io.jobpipe.worker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code jobpipe.worker.*}.
 *
 * @param threads         share consumers, one poll thread each; one is enough for a process, since agents run on
 *                        the agent pool and every idle consumer keeps a fetch parked at the broker
 * @param agentThreads    the process's agent pool: how many agents run at once, fed by all its consumers
 * @param workspace       the folder built-in agents write into (sandboxed)
 * @param maxPollRecords  records acquired per poll; every agent of the batch must start within 80% of the share
 *                        group's record lock (15 s, {@code ShareGroupSetup}; running agents renew it): with 50 records
 *                        and 4 agent threads, agents may average up to about 1 s. Each poll is a broker round trip,
 *                        so 10 capped one consumer at a few hundred stage runs a second (docs/BENCHMARKS.md)
 * @param pollTimeout     how long one poll waits for records
 * @param sendTimeout     how long a result may take to be acknowledged by Kafka before its request is released;
 *                        well inside the 15 s record lock, so the release still counts
 * @param startupRetry    wait between attempts to reach Kafka at startup
 */
@ConfigurationProperties("jobpipe.worker")
public record WorkerProperties(
        @Bindable(defaultValue = "1") int threads,
        @Bindable(defaultValue = "4") int agentThreads,
        @Bindable(defaultValue = ".jobpipe/workspace") String workspace,
        @Bindable(defaultValue = "50") int maxPollRecords,
        @Bindable(defaultValue = "1s") Duration pollTimeout,
        @Bindable(defaultValue = "10s") Duration sendTimeout,
        @Bindable(defaultValue = "2s") Duration startupRetry,
        @Bindable(defaultValue = "0.5") double heartbeatFraction) {

    /** Properties with heartbeats every half of a stage timeout. */
    public WorkerProperties(int threads, int agentThreads, String workspace, int maxPollRecords, Duration pollTimeout,
                            Duration sendTimeout, Duration startupRetry) {
        this(threads, agentThreads, workspace, maxPollRecords, pollTimeout, sendTimeout, startupRetry, 0.5);
    }

    public WorkerProperties {
        if (threads < 1) {
            throw new IllegalArgumentException("jobpipe.worker.threads must be >= 1, got " + threads);
        }
        if (agentThreads < 1) {
            throw new IllegalArgumentException("jobpipe.worker.agent-threads must be >= 1, got " + agentThreads);
        }
        if (!(heartbeatFraction > 0 && heartbeatFraction < 1)) {
            throw new IllegalArgumentException("jobpipe.worker.heartbeat-fraction must be between 0 and 1, got "
                    + heartbeatFraction);
        }
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("jobpipe.worker.max-poll-records must be >= 1, got " + maxPollRecords);
        }
    }
}
