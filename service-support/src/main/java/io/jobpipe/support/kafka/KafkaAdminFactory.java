package io.jobpipe.support.kafka;

import io.jobpipe.support.config.TopicsProperties;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;

import java.time.Duration;

/**
 * The one admin client of a service, for topic provisioning and health checks. Creating it connects to
 * nothing yet, so a service starts while Kafka is down. It is closed within {@code jobpipe.kafka.admin-close-timeout}
 * (after the beans that use it): a call still waiting for an unreachable broker must not hold up shutdown.
 */
@Factory
public class KafkaAdminFactory {
    private final Duration closeTimeout;
    private volatile Admin admin;

    public KafkaAdminFactory(@Value("${jobpipe.kafka.admin-close-timeout:5s}") Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }

    @Singleton
    Admin admin(KafkaClientConfigs configs, TopicsProperties topics,
                @Value("${micronaut.application.name:jobpipe}") String applicationName) {
        admin = Admin.create(configs.admin(topics.namespace() + applicationName + "-admin"));
        return admin;
    }

    @PreDestroy
    void close() {
        Admin created = admin;
        if (created != null) {
            created.close(closeTimeout);
        }
    }
}
