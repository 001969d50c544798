package io.jobpipe.orchestrator.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code jobpipe.topics.*}: the namespace that prefixes every topic (and the Streams application id),
 * and how topics are created at startup.
 */
@ConfigurationProperties("jobpipe.topics")
public record TopicsConfiguration(
        @Nullable String namespace,
        @Bindable(defaultValue = "6") int partitions,
        @Bindable(defaultValue = "1") short replicationFactor,
        @Bindable(defaultValue = "true") boolean autoCreate) {

    public TopicsConfiguration {
        namespace = namespace == null ? "" : namespace.trim();
    }
}
