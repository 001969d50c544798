package io.jobpipe.status;

import io.jobpipe.testing.KafkaFixture;
import io.jobpipe.testing.PostgresFixture;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * The status service on a random loopback port, against a fresh database of the shared PostgreSQL and,
 * when asked, the shared Kafka broker under a namespace of its own.
 */
public final class StatusTestApp implements AutoCloseable {
    private final EmbeddedServer server;

    private StatusTestApp(EmbeddedServer server) {
        this.server = server;
    }

    /** The API only: the projection consumer is off, tests write through the projector. No Kafka needed. */
    public static StatusTestApp withoutKafka(String name, Map<String, Object> overrides) {
        Map<String, Object> props = base(name);
        props.put("jobpipe.status.projection.enabled", false);
        props.put("jobpipe.status.breakers.enabled", false);
        props.put("jobpipe.topics.auto-create", false);
        props.put("kafka.health.enabled", false);
        props.putAll(overrides);
        return new StatusTestApp(ApplicationContext.run(EmbeddedServer.class, props));
    }

    /** The whole service: topics created under {@code namespace}, events consumed from them. */
    public static StatusTestApp withKafka(String name, String namespace, Map<String, Object> overrides) {
        Map<String, Object> props = base(name);
        props.put("kafka.bootstrap.servers", KafkaFixture.shared().bootstrapServers());
        props.put("jobpipe.topics.namespace", namespace);
        props.put("jobpipe.topics.partitions", 2);
        props.put("jobpipe.status.projection.poll-timeout", "100ms");
        props.putAll(overrides);
        return new StatusTestApp(ApplicationContext.run(EmbeddedServer.class, props));
    }

    private static Map<String, Object> base(String name) {
        PostgresFixture postgres = PostgresFixture.shared();
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("micronaut.server.host", "127.0.0.1");
        // Tests read the health details, which are hidden unless configured (HealthEndpointTest checks that).
        props.put("endpoints.health.details-visible", "ANONYMOUS");
        props.put("datasources.default.url", postgres.createDatabase(name));
        props.put("datasources.default.username", postgres.username());
        props.put("datasources.default.password", postgres.password());
        props.put("datasources.default.maximum-pool-size", 4);
        props.put("jobpipe.status.live.listen-poll", "100ms");
        props.put("jobpipe.status.live.reconnect-backoff", "100ms");
        // Unknown jobs are waited for before a 404; short here so 404 tests stay quick.
        props.put("jobpipe.status.live.arrival-grace", "1s");
        // Test events happened long ago: retention would delete them (RetentionTest turns it on).
        props.put("jobpipe.status.retention.enabled", false);
        return props;
    }

    public <T> T bean(Class<T> type) {
        return server.getApplicationContext().getBean(type);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getPort() + path);
    }

    @Override
    public void close() {
        server.close();
    }
}
