package io.jobpipe.worker.health;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.runtime.infra.FreePorts;
import io.jobpipe.support.kafka.TopicProvisioning;
import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.annotation.Liveness;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Kafka unreachable, the worker is alive (a restart would not help) but not ready (it runs no stage),
 * and an anonymous caller learns the status only: no broker address, no error text.
 */
class HealthEndpointTest {
    private static final String BOOTSTRAP = "127.0.0.1:" + FreePorts.next();
    private static EmbeddedServer server;

    @BeforeAll
    static void startWorkerWithoutKafka() throws Exception {
        Path workspace = Files.createTempDirectory("worker-health");
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "kafka.bootstrap.servers", BOOTSTRAP,
                "jobpipe.topics.namespace", "worker-health.",
                "jobpipe.worker.workspace", workspace.toString(),
                "jobpipe.worker.health.check-timeout", "500ms",
                // micronaut-kafka's own check waits 10 s for the absent broker; the worker's check is the one tested.
                "kafka.health.enabled", false,
                "micronaut.server.host", "127.0.0.1",
                "micronaut.server.port", -1));
    }

    @AfterAll
    static void stop() {
        server.getApplicationContext().close();
    }

    @Test
    void shouldBeAliveButNotReadyWhileKafkaIsUnreachable() throws Exception {
        assertThat(get("/health/liveness").statusCode()).isEqualTo(200);
        assertThat(get("/health/readiness").statusCode()).isEqualTo(503);
        assertThat(get("/health").statusCode()).isEqualTo(503);
    }

    @Test
    void shouldShowAnonymousCallersTheStatusOnly() throws Exception {
        for (String path : new String[] {"/health", "/health/readiness", "/health/liveness"}) {
            HttpResponse<String> response = get(path);
            JsonNode health = Json.MAPPER.readTree(response.body());
            assertThat(health.has("details")).as(path).isFalse();
            assertThat(response.body()).as(path).doesNotContain(BOOTSTRAP, "Exception", "unreachable");
        }
    }

    @Test
    void shouldCountTheWorkerAsReadinessAndTakeProvisioningFromServiceSupport() {
        ApplicationContext context = server.getApplicationContext();
        assertThat(context.getBeansOfType(HealthIndicator.class, Qualifiers.byStereotype(Readiness.class)))
                .hasAtLeastOneElementOfType(WorkerHealthIndicator.class);
        assertThat(context.getBeansOfType(HealthIndicator.class, Qualifiers.byStereotype(Liveness.class)))
                .noneMatch(WorkerHealthIndicator.class::isInstance);
        assertThat(context.getBean(TopicProvisioning.class).ready()).isFalse();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
