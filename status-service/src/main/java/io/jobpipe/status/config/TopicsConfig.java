package io.jobpipe.status.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code jobpipe.topics.*}: which topics to use and whether to create them at startup.
 *
 * @param namespace prefix of every topic name and consumer group id; empty in production, unique per test
 */
@ConfigurationProperties("jobpipe.topics")
public record TopicsConfig(@Nullable String namespace,
                           @Bindable(defaultValue = "6") int partitions,
                           @Bindable(defaultValue = "1") short replicationFactor,
                           @Bindable(defaultValue = "true") boolean autoCreate) {

    public TopicsConfig {
        namespace = namespace == null ? "" : namespace;
    }
}
