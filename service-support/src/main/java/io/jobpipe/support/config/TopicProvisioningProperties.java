package io.jobpipe.support.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code jobpipe.topics.provisioning.*}: how long creating topics may take and how a service that keeps
 * running while Kafka is unreachable spaces its attempts.
 *
 * @param timeout    the longest one admin call (list, create, describe) may take before the attempt fails
 * @param firstRetry the wait after the first failed attempt; doubles with each failure
 * @param maxRetry   the longest wait between attempts, so a broker that comes back is noticed soon
 */
@ConfigurationProperties("jobpipe.topics.provisioning")
public record TopicProvisioningProperties(
        @Bindable(defaultValue = "30s") Duration timeout,
        @Bindable(defaultValue = "500ms") Duration firstRetry,
        @Bindable(defaultValue = "15s") Duration maxRetry) {

    public TopicProvisioningProperties {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("jobpipe.topics.provisioning.timeout must be positive, got " + timeout);
        }
        if (firstRetry.isNegative() || firstRetry.isZero() || maxRetry.compareTo(firstRetry) < 0) {
            throw new IllegalArgumentException("jobpipe.topics.provisioning: need 0 < first-retry <= max-retry, got "
                    + firstRetry + " and " + maxRetry);
        }
    }

    /** The wait after {@code failures} failed attempts in a row: exponential from {@code firstRetry}, capped. */
    public Duration retryDelay(int failures) {
        long millis = firstRetry.toMillis() << Math.min(Math.max(failures, 1) - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxRetry.toMillis()));
    }
}
