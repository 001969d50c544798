package io.jobpipe.status.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code jobpipe.ops.*}: the ops API.
 *
 * @param tokens            {@code name:role:token,…} (env {@code JOBPIPE_OPS_TOKENS}); empty closes the ops API
 * @param sendTimeout       how long a command send may wait for the broker's acknowledgement before a 503
 * @param retryAfterSeconds the {@code Retry-After} of that 503
 * @param progressEvery     a bulk operation writes its counters to PostgreSQL after this many commands
 */
@ConfigurationProperties("jobpipe.ops")
public record OpsProperties(@Nullable String tokens,
                            @Bindable(defaultValue = "10s") Duration sendTimeout,
                            @Bindable(defaultValue = "5") int retryAfterSeconds,
                            @Bindable(defaultValue = "100") int progressEvery) {
}
