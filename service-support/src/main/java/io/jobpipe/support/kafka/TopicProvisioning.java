package io.jobpipe.support.kafka;

import io.jobpipe.core.kafka.TopicProvisioner;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.support.config.TopicProvisioningProperties;
import io.jobpipe.support.config.TopicsProperties;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;

import java.time.Duration;

/**
 * Creates the topics of the pipeline catalog, idempotently, for every service the same way: a service calls
 * {@link #ensureTopics()} before it first uses a topic. With {@code jobpipe.topics.auto-create=false} the
 * operator owns the topics and the call does nothing. A service that must keep running while Kafka is
 * unreachable calls it again after {@link #retryDelay(int)} (ingest answers 503 meanwhile).
 */
@Singleton
public class TopicProvisioning {
    private final Admin admin;
    private final Topics topics;
    private final PipelineCatalog catalog;
    private final TopicsProperties topicsProperties;
    private final TopicProvisioningProperties properties;
    private volatile boolean ready;
    private volatile String lastError;

    public TopicProvisioning(Admin admin, Topics topics, PipelineCatalog catalog, TopicsProperties topicsProperties,
                             TopicProvisioningProperties properties) {
        this.admin = admin;
        this.topics = topics;
        this.catalog = catalog;
        this.topicsProperties = topicsProperties;
        this.properties = properties;
        // Without auto-create the operator owns the topics; the service trusts they exist.
        this.ready = !topicsProperties.autoCreate();
    }

    /**
     * Creates the missing topics and checks that the job-keyed ones are co-partitioned, once per process.
     *
     * @throws IllegalStateException when Kafka does not answer in time or the topics are inconsistent
     */
    public synchronized void ensureTopics() {
        if (ready) {
            return;
        }
        try {
            new TopicProvisioner(admin, topicsProperties.partitions(), topicsProperties.replicationFactor(),
                    properties.timeout()).ensure(topics, catalog.allStageNames());
            lastError = null;
            ready = true;
        } catch (RuntimeException e) {
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            throw e;
        }
    }

    /** True once the topics are known to exist: from then on sends go to co-partitioned topics. */
    public boolean ready() {
        return ready;
    }

    /** Why the last attempt failed, or null; for logs and health details, never for a caller's response. */
    public String lastError() {
        return lastError;
    }

    /** How long to wait before the next attempt after {@code failures} failed ones. */
    public Duration retryDelay(int failures) {
        return properties.retryDelay(failures);
    }
}
