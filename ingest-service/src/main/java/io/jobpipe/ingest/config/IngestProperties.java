package io.jobpipe.ingest.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How ingest answers webhooks.
 *
 * @param maxBodyBytes  largest accepted body; larger ones get 413 and never reach Kafka
 * @param statusBaseUrl where the status service is reached from outside; the 202 links point there
 * @param retryAfter    what a 503 tells the sender to wait before trying again
 */
@ConfigurationProperties("jobpipe.ingest")
public record IngestProperties(
        @Bindable(defaultValue = "1048576") long maxBodyBytes,
        @Bindable(defaultValue = "http://localhost:8081") String statusBaseUrl,
        @Bindable(defaultValue = "5s") Duration retryAfter) {

    public IngestProperties {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("jobpipe.ingest.max-body-bytes must be positive, got " + maxBodyBytes);
        }
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("jobpipe.ingest.retry-after must not be negative, got " + retryAfter);
        }
    }

    /** Retry-After in whole seconds, at least one: a zero would invite a hot retry loop. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
