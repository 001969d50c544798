package io.jobpipe.ingest.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.ingest.kafka.SendFailures;
import io.jobpipe.ingest.support.WebhookHttp;
import io.jobpipe.runtime.infra.EmbeddedKafkaBroker;
import io.jobpipe.runtime.infra.FreePorts;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker dies after ingest has warmed up and accepted webhooks: buffered sends are never acknowledged,
 * so the sender gets a 503 with {@code Retry-After} once the delivery timeout passes, never a 2xx. Uses a
 * broker of its own, since the shared one must outlive this test.
 */
@MicronautTest(environments = "dev")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerLostTest implements TestPropertyProvider {
    private static final Duration FEW_SECONDS = Duration.ofSeconds(5);

    @Inject
    EmbeddedServer server;

    private Path brokerDir;
    private EmbeddedKafkaBroker broker;

    @Override
    public Map<String, String> getProperties() {
        try {
            brokerDir = Files.createTempDirectory("ingest-broker-lost");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = EmbeddedKafkaBroker.start(brokerDir, FreePorts.next(), FreePorts.next());
        return Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "jobpipe.topics.namespace", "ingest-broker-lost.",
                "jobpipe.topics.partitions", "1",
                "micronaut.server.port", "-1");
    }

    @AfterAll
    void removeBrokerData() throws IOException {
        try (Stream<Path> paths = Files.walk(brokerDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void shouldAnswer503WithRetryAfterWithinAFewSecondsOnceTheBrokerIsGone() {
        WebhookHttp http = new WebhookHttp(server.getURI());
        await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health").statusCode() == 200);
        assertThat(http.postJson("/webhooks/demo", "{\"before\":true}").statusCode()).isEqualTo(202);

        broker.close();

        for (int i = 0; i < 2; i++) {
            long started = System.nanoTime();
            HttpResponse<String> response = http.postJson("/webhooks/demo", "{\"after\":" + i + "}");
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(took).isLessThan(FEW_SECONDS);
            assertThat(response.headers().firstValue("Retry-After")).contains("5");
            JsonNode problem = WebhookHttp.json(response);
            assertThat(problem.get("type").asText()).isEqualTo("urn:jobpipe:problem:broker-unavailable");
            // the send timed out after the broker may have taken it: never "nothing was accepted"
            assertThat(problem.get("detail").asText()).isEqualTo(SendFailures.NOT_ACKNOWLEDGED_DETAIL);
        }
        assertThat(http.get("/health").statusCode()).isEqualTo(503);
    }
}
