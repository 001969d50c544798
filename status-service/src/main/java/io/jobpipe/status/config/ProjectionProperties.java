package io.jobpipe.status.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.ReadableBytes;

import java.time.Duration;

/**
 * {@code jobpipe.status.projection.*}: the consumer that projects {@code jobpipe.job.events} into PostgreSQL.
 *
 * @param enabled        false runs the API alone (another replica, or a test, feeds the tables)
 * @param maxPollRecords the largest batch projected in one database transaction
 * @param pollTimeout    how long one poll waits for records
 * @param retryBackoff   the first wait after a failed batch; doubles up to {@code maxRetryBackoff}
 * @param cacheSize      bytes of heap for the projector's copies of recent jobs (estimated), so a batch reads only the jobs
 *                       it has not seen lately
 * @param progressDelay  how long a running job's progress (its current stage and attempt, its stage rows) may wait
 *                       before it is written to its rows; a new job, a change of state and a finished job are written
 *                       at once, and {@code GET /jobs/{id}} is exact regardless. Longer writes fewer rows per event;
 *                       listings, stats and exports show progress up to this late. 0 writes every batch's changes.
 */
@ConfigurationProperties("jobpipe.status.projection")
public record ProjectionProperties(@Bindable(defaultValue = "true") boolean enabled,
                               @Bindable(defaultValue = "500") int maxPollRecords,
                               @Bindable(defaultValue = "500ms") Duration pollTimeout,
                               @Bindable(defaultValue = "200ms") Duration retryBackoff,
                               @Bindable(defaultValue = "5s") Duration maxRetryBackoff,
                               @ReadableBytes @Bindable(defaultValue = "32MB") long cacheSize,
                               @Bindable(defaultValue = "1s") Duration progressDelay) {
}
