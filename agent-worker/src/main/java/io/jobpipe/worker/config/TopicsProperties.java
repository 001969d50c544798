package io.jobpipe.worker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.annotation.Nullable;

/** {@code jobpipe.topics.*}: the namespace every topic and group id is prefixed with, and how topics are created. */
@ConfigurationProperties("jobpipe.topics")
public record TopicsProperties(
        @Nullable String namespace,
        @Bindable(defaultValue = "6") int partitions,
        @Bindable(defaultValue = "1") short replicationFactor,
        @Bindable(defaultValue = "true") boolean autoCreate) {

    public String namespaceOrEmpty() {
        return namespace == null ? "" : namespace;
    }
}
