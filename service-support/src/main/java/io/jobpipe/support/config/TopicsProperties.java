package io.jobpipe.support.config;

import io.jobpipe.core.kafka.Topics;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code jobpipe.topics.*}, read by every service: the namespace that prefixes every topic, group id and
 * Streams application id, and how topics are created at startup.
 *
 * <p>The namespace is trimmed here, once: a stray space in {@code JOBPIPE_TOPICS_NAMESPACE} must give every
 * service the same topic names, or the services would silently talk past each other.
 *
 * @param namespace         prefix of every topic name and group id; empty in production, unique per test
 * @param partitions        partitions of each topic this service creates (all job-keyed topics alike)
 * @param replicationFactor replicas of each topic this service creates
 * @param autoCreate        create missing topics at startup; false leaves the topics to the operator
 */
@ConfigurationProperties("jobpipe.topics")
public record TopicsProperties(
        @Nullable String namespace,
        @Bindable(defaultValue = "6") int partitions,
        @Bindable(defaultValue = "1") short replicationFactor,
        @Bindable(defaultValue = "true") boolean autoCreate) {

    public TopicsProperties {
        namespace = namespace == null ? "" : namespace.trim();
        if (partitions < 1) {
            throw new IllegalArgumentException("jobpipe.topics.partitions must be >= 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("jobpipe.topics.replication-factor must be >= 1, got " + replicationFactor);
        }
    }

    /** The topic declarations under this namespace. */
    public Topics topics() {
        return Topics.of(namespace);
    }
}
