package io.jobpipe.ingest.health;

import io.jobpipe.ingest.kafka.KafkaHealthIndicator;
import io.jobpipe.ingest.support.WebhookHttp;
import io.jobpipe.runtime.infra.FreePorts;
import io.jobpipe.support.kafka.TopicProvisioning;
import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.annotation.Liveness;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Kafka unreachable, ingest is alive (a restart would not help) but not ready (it could only answer
 * 503), and an anonymous caller learns the status only: no broker address, no error text.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthEndpointTest implements TestPropertyProvider {
    private final String bootstrapServers = "127.0.0.1:" + FreePorts.next();

    @Inject
    EmbeddedServer server;

    @Inject
    ApplicationContext context;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "kafka.bootstrap.servers", bootstrapServers,
                "jobpipe.topics.namespace", "ingest-health.",
                "micronaut.server.port", "-1");
    }

    @Test
    void shouldBeAliveButNotReadyWhileKafkaIsUnreachable() {
        WebhookHttp http = new WebhookHttp(server.getURI());

        assertThat(http.get("/health/liveness").statusCode()).isEqualTo(200);
        assertThat(http.get("/health/readiness").statusCode()).isEqualTo(503);
        assertThat(http.get("/health").statusCode()).isEqualTo(503);
    }

    @Test
    void shouldShowAnonymousCallersTheStatusOnly() {
        WebhookHttp http = new WebhookHttp(server.getURI());

        for (String path : new String[] {"/health", "/health/readiness", "/health/liveness"}) {
            HttpResponse<String> response = http.get(path);
            assertThat(WebhookHttp.json(response).has("details")).as(path).isFalse();
            assertThat(response.body()).as(path).doesNotContain(bootstrapServers, "Exception", "kafka");
        }
    }

    @Test
    void shouldCountKafkaAsReadinessAndTakeProvisioningFromServiceSupport() {
        assertThat(context.getBeansOfType(HealthIndicator.class, Qualifiers.byStereotype(Readiness.class)))
                .hasAtLeastOneElementOfType(KafkaHealthIndicator.class);
        assertThat(context.getBeansOfType(HealthIndicator.class, Qualifiers.byStereotype(Liveness.class)))
                .noneMatch(KafkaHealthIndicator.class::isInstance);
        assertThat(context.getBean(TopicProvisioning.class).ready()).isFalse();
    }
}
