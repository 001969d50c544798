package io.jobpipe.support.config;

import io.jobpipe.support.health.HealthDefaults;
import io.jobpipe.support.metrics.MetricsDefaults;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.env.PropertySource;

import java.util.HashMap;
import java.util.Map;

/**
 * The configuration every service shares and that no record can default on its own: the Kafka bootstrap
 * servers (read by plain clients and by micronaut-kafka alike), the health endpoint's settings and which
 * management endpoints give way to {@code GET /metrics}.
 * Added to every application context (found by the {@link java.util.ServiceLoader}) as a property source
 * below {@code application.yml}, so a service's own file, system properties and environment variables
 * (Micronaut maps {@code KAFKA_BOOTSTRAP_SERVERS} onto {@code kafka.bootstrap.servers}) all override it.
 * The {@code jobpipe.*} keys need no entry: their records carry their defaults.
 */
public final class SharedDefaults implements ApplicationContextConfigurer {
    static final String NAME = "jobpipe-shared-defaults";
    /** Below application.yml (-300), system properties (-200) and environment variables (-100). */
    static final int ORDER = -400;
    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";

    static Map<String, Object> properties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(BOOTSTRAP_SERVERS, "localhost:9092");
        properties.putAll(HealthDefaults.properties());
        properties.putAll(MetricsDefaults.properties());
        return properties;
    }

    @Override
    public void configure(ApplicationContextBuilder builder) {
        builder.propertySources(PropertySource.of(NAME, properties(), ORDER));
    }
}
