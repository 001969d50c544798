package io.jobpipe.worker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code jobpipe.worker.shutdown.*}: how long a stopping worker waits, so the records it holds are finished or
 * released rather than left to their lock's expiry.
 *
 * @param loopTimeout  the longest each share-consumer thread may take to finish its batch and acknowledge it
 * @param closeTimeout the longest the result producer and the admin client may take to close
 */
@ConfigurationProperties("jobpipe.worker.shutdown")
public record WorkerShutdownProperties(
        @Bindable(defaultValue = "30s") Duration loopTimeout,
        @Bindable(defaultValue = "5s") Duration closeTimeout) {
}
