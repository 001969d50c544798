package io.jobpipe.support.kafka;

import io.jobpipe.support.config.TopicsProperties;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;

/**
 * The one admin client of a service, for topic provisioning and health checks. Creating it connects to
 * nothing yet, so a service starts while Kafka is down.
 */
@Factory
public class KafkaAdminFactory {

    @Singleton
    @Bean(preDestroy = "close")
    Admin admin(KafkaClientConfigs configs, TopicsProperties topics,
                @Value("${micronaut.application.name:jobpipe}") String applicationName) {
        return Admin.create(configs.admin(topics.namespace() + applicationName + "-admin"));
    }
}
