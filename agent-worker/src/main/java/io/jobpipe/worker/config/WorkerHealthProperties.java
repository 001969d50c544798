package io.jobpipe.worker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code jobpipe.worker.health.*}: what the worker's readiness check waits for and tolerates.
 *
 * @param staleAfter   a share-consumer thread that has not polled for this long is stuck (a batch may take up
 *                     to the 30 s record lock)
 * @param checkTimeout the longest the check waits for the broker to describe the cluster
 */
@ConfigurationProperties("jobpipe.worker.health")
public record WorkerHealthProperties(
        @Bindable(defaultValue = "90s") Duration staleAfter,
        @Bindable(defaultValue = "3s") Duration checkTimeout) {
}
