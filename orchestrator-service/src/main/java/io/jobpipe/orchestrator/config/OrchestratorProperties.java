package io.jobpipe.orchestrator.config;

import io.jobpipe.orchestrator.streams.JobProcessorSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code jobpipe.orchestrator.*}: how the Kafka Streams application runs.
 *
 * @param commitInterval    how often the EOS transaction commits; outputs become visible to read_committed
 *                          consumers only then, so every stage hop waits up to this long
 * @param stateDir          where the state stores live; blank means a fresh temporary directory per process
 * @param streamThreads     stream threads of this instance
 * @param commitGap            least time between two commits requested while records queue: a busy thread
 *                             batches about this long (the commit interval stays the backstop)
 * @param commitQuiet          a record that comes at least this long after the previous one commits at once: an
 *                             idle hop waits for no commit
 * @param finishedJobRetention how long a finished job stays in the state store (duplicate requests and late
 *                             results are recognised that long)
 * @param restartGrace         after a (re)start, an attempt whose deadline passed during the outage gets this long
 *                             for its result to be read before it counts as timed out
 * @param deadLetterRetention  how long a dead-lettered job stays in the state store, replayable (match it to the
 *                             dead-letter topics' retention)
 * @param maxReplaysPerJob     replays one job may take; the next is refused and the job parked
 * @param instanceId           a stable id unique to this instance (a StatefulSet pod's name; {@code ./jobpipe up}
 *                             sets one): the instance joins as a static member, so when it restarts after a crash it
 *                             takes its partitions back at once instead of waiting out its old session. Blank: a
 *                             dynamic member. Two running instances must never share one: the second fences the first
 * @param sessionTimeout       how long a crashed instance's partitions wait before the group gives them to another
 *                             (or a restarted dynamic member): jobs stall that long after a {@code kill -9}
 */
@ConfigurationProperties("jobpipe.orchestrator")
public record OrchestratorProperties(
        @Bindable(defaultValue = "50ms") Duration commitInterval,
        @Nullable String stateDir,
        @Bindable(defaultValue = "1") int streamThreads,
        @Bindable(defaultValue = "50ms") Duration commitGap,
        @Bindable(defaultValue = "20ms") Duration commitQuiet,
        @Bindable(defaultValue = "15m") Duration finishedJobRetention,
        @Bindable(defaultValue = "30s") Duration restartGrace,
        @Bindable(defaultValue = "7d") Duration deadLetterRetention,
        @Bindable(defaultValue = "3") int maxReplaysPerJob,
        @Nullable String instanceId,
        @Bindable(defaultValue = "15s") Duration sessionTimeout) {

    /** What the job processor needs of this configuration. */
    public JobProcessorSettings processorSettings() {
        return new JobProcessorSettings(commitGap, commitQuiet, finishedJobRetention, restartGrace,
                deadLetterRetention, maxReplaysPerJob, JobProcessorSettings.DEFAULT_MAX_REQUEST_BYTES);
    }
}
