package io.jobpipe.orchestrator.config;

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
 * @param punctuateInterval how often due retry and timeout timers are looked for
 */
@ConfigurationProperties("jobpipe.orchestrator")
public record OrchestratorProperties(
        @Bindable(defaultValue = "50ms") Duration commitInterval,
        @Nullable String stateDir,
        @Bindable(defaultValue = "1") int streamThreads,
        @Bindable(defaultValue = "100ms") Duration punctuateInterval) {
}
