package io.jobpipe.status.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code jobpipe.status.read-model.*}: how long the request path waits for PostgreSQL.
 *
 * @param readTimeout       a read that answers a request gives up after this long without an answer
 *                          (env {@code JOBPIPE_STATUS_DB_READ_TIMEOUT}); with the pool's acquisition timeout
 *                          ({@code datasources.default.connection-timeout}) it bounds every read below 2 s
 * @param healthTimeout     the readiness check of the database answers DOWN after this long without an answer
 * @param retryAfterSeconds the {@code Retry-After} of a 503 when the database did not answer
 */
@ConfigurationProperties("jobpipe.status.read-model")
public record ReadModelProperties(@Bindable(defaultValue = "800ms") Duration readTimeout,
                                  @Bindable(defaultValue = "1s") Duration healthTimeout,
                                  @Bindable(defaultValue = "2") int retryAfterSeconds) {
}
