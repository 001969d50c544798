package io.jobpipe.status.config;

import io.jobpipe.core.kafka.TopicProvisioner;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Order;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.util.Map;

/** Creates the jobpipe topics at startup when {@code jobpipe.topics.auto-create} is true (the default). */
@Singleton
@Requires(property = "jobpipe.topics.auto-create", notEquals = "false")
public class TopicProvisioning {
    private final TopicsConfig config;
    private final Topics topics;
    private final PipelineCatalog catalog;
    private final String bootstrapServers;

    public TopicProvisioning(TopicsConfig config, Topics topics, PipelineCatalog catalog,
                             @Property(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.topics = topics;
        this.catalog = catalog;
        this.bootstrapServers = bootstrapServers;
    }

    // Runs before the projection consumer subscribes (which listens to the same event, later in order).
    @EventListener
    @Order(-100)
    void onStartup(StartupEvent event) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            new TopicProvisioner(admin, config.partitions(), config.replicationFactor())
                    .ensure(topics, catalog.allStageNames());
        }
    }
}
