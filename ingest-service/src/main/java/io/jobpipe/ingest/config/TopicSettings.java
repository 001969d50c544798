package io.jobpipe.ingest.config;

import io.jobpipe.core.kafka.Topics;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/** The shared {@code jobpipe.topics.*} keys every service reads. */
@ConfigurationProperties("jobpipe.topics")
public record TopicSettings(
        @Nullable String namespace,
        @Bindable(defaultValue = "6") int partitions,
        @Bindable(defaultValue = "1") short replicationFactor,
        @Bindable(defaultValue = "true") boolean autoCreate) {

    public Topics topics() {
        return Topics.of(namespace);
    }
}
