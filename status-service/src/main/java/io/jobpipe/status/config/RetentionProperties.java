package io.jobpipe.status.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code jobpipe.status.retention.*}: how long finished jobs stay in the read model.
 *
 * @param enabled     off: nothing is ever deleted (env {@code JOBPIPE_STATUS_RETENTION_ENABLED})
 * @param keep        a job finished (completed, failed, dead-lettered, cancelled) longer ago than this is deleted
 *                    with its stages, events and dead-letter records (env {@code JOBPIPE_STATUS_RETENTION})
 * @param batchSize   jobs per delete, each batch its own short transaction
 * @param every       how often a sweep runs
 * @param sweepBudget a sweep stops after this long, and the next one goes on, so a backlog never makes one long job
 */
@ConfigurationProperties("jobpipe.status.retention")
public record RetentionProperties(@Bindable(defaultValue = "true") boolean enabled,
                                  @Bindable(defaultValue = "P30D") Duration keep,
                                  @Bindable(defaultValue = "500") int batchSize,
                                  @Bindable(defaultValue = "1m") Duration every,
                                  @Bindable(defaultValue = "20s") Duration sweepBudget) {
}
