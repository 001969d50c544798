package io.jobpipe.status.config;

import io.jobpipe.core.kafka.TopicProvisioner;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.util.Map;

/**
 * Creates the jobpipe topics at startup when {@code jobpipe.topics.auto-create} is true (the default).
 * The projection consumer calls {@link #ensureTopics()} before it subscribes, so it never waits on a topic
 * that is about to be created.
 */
@Singleton
@Requires(property = "jobpipe.topics.auto-create", notEquals = "false")
public class TopicProvisioning {
    private final TopicsConfig config;
    private final Topics topics;
    private final PipelineCatalog catalog;
    private final String bootstrapServers;
    private boolean done;

    public TopicProvisioning(TopicsConfig config, Topics topics, PipelineCatalog catalog,
                             @Property(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.topics = topics;
        this.catalog = catalog;
        this.bootstrapServers = bootstrapServers;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        ensureTopics();
    }

    /** Creates the missing topics, once per process. */
    public synchronized void ensureTopics() {
        if (done) {
            return;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            new TopicProvisioner(admin, config.partitions(), config.replicationFactor())
                    .ensure(topics, catalog.allStageNames());
        }
        done = true;
    }
}
