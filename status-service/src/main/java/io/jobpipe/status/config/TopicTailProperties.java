package io.jobpipe.status.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code jobpipe.status.live.topic-tail.*}: SSE streams fed straight from {@code jobpipe.job.events}, ahead of the
 * read model.
 *
 * @param enabled  false: streams learn of new events from the read model's notifications only (each event then
 *                 reaches them after the projection's commit)
 * @param keep     how long the newest events of a job that no stream follows are kept for a stream that opens late
 * @param maxBytes the most JSON those kept events may hold in all; the jobs quiet the longest go first
 */
@ConfigurationProperties("jobpipe.status.live.topic-tail")
public record TopicTailProperties(@Bindable(defaultValue = "true") boolean enabled,
                                  @Bindable(defaultValue = "10s") Duration keep,
                                  @Bindable(defaultValue = "16777216") long maxBytes) {
}
