package io.jobpipe.ingest.limits;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.ingest.support.RawHttp;
import io.jobpipe.ingest.support.WebhookHttp;
import io.jobpipe.testing.KafkaFixture;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The in-flight budget against a real server, made tiny (2 requests, 1000 bytes): senders that hold requests open
 * use it up, and the next webhook is answered 503 with {@code Retry-After} at once instead of being queued; once
 * they finish, the budget is whole again and webhooks are accepted.
 */
@MicronautTest(environments = "dev")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InFlightBudgetLimitTest implements TestPropertyProvider {
    private final Topics topics = Topics.of("ingest-budget-" + UUID.randomUUID().toString().substring(0, 8) + ".");

    @Inject
    EmbeddedServer server;
    @Inject
    FrontDoorLimits limits;

    private WebhookHttp http;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "kafka.bootstrap.servers", KafkaFixture.shared().bootstrapServers(),
                "jobpipe.topics.namespace", topics.namespace(),
                "jobpipe.topics.partitions", "1",
                "micronaut.server.port", "-1",
                "jobpipe.ingest.limits.max-in-flight-requests", "2",
                "jobpipe.ingest.limits.max-in-flight-bytes", "1000");
    }

    @BeforeAll
    void awaitKafkaReady() {
        http = new WebhookHttp(server.getURI());
        await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health").statusCode() == 200);
    }

    @Test
    void shouldAnswer503WhenRequestsOrBytesInFlightWouldPassTheBudgetAndRecoverAfterwards() throws Exception {
        byte[] big = json(600);
        byte[] small = json(10);
        try (RawHttp slowBig = new RawHttp(server.getURI()); RawHttp slowSmall = new RawHttp(server.getURI())) {
            slowBig.head("POST", "/webhooks/demo", Map.of("Content-Type", "application/json",
                    "Content-Length", String.valueOf(big.length))).write(slice(big, 0, 20));
            await().atMost(Duration.ofSeconds(5)).until(() -> limits.budget().bytesInFlight() == big.length);

            assertOverloaded(http.postJson("/webhooks/demo", new String(json(500), StandardCharsets.UTF_8)));
            assertThat(http.postJson("/webhooks/demo", new String(json(100), StandardCharsets.UTF_8)).statusCode())
                    .as("600 + 100 bytes fit").isEqualTo(202);

            slowSmall.head("POST", "/webhooks/demo", Map.of("Content-Type", "application/json",
                    "Content-Length", String.valueOf(small.length))).write(slice(small, 0, 2));
            await().atMost(Duration.ofSeconds(5)).until(() -> limits.budget().requestsInFlight() == 2);

            assertOverloaded(http.postJson("/webhooks/demo", "{}"));

            slowBig.write(slice(big, 20, big.length));
            slowSmall.write(slice(small, 2, small.length));
            assertThat(slowBig.read().status()).isEqualTo(202);
            assertThat(slowSmall.read().status()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> limits.budget().requestsInFlight() == 0
                && limits.budget().bytesInFlight() == 0);
        assertThat(http.postJson("/webhooks/demo", "{\"after\":true}").statusCode()).isEqualTo(202);
    }

    private static void assertOverloaded(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        JsonNode problem = WebhookHttp.json(response);
        assertThat(problem.get("type").asText()).isEqualTo("urn:jobpipe:problem:overloaded");
        assertThat(problem.get("requestId").asText()).startsWith("req_");
    }

    private static byte[] json(int size) {
        String prefix = "{\"pad\":\"";
        String suffix = "\"}";
        String json = prefix + "x".repeat(size - prefix.length() - suffix.length()) + suffix;
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return java.util.Arrays.copyOfRange(bytes, from, to);
    }
}
