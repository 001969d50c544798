package io.jobpipe.ingest.limits;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.kafka.Topics;
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
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rate limits against a real server: per client address and per connection, configured per connection, refused
 * with 429, {@code Retry-After} and {@code RateLimit-*} before the body is looked at; {@code X-Forwarded-For} counts
 * only from a trusted proxy. The test client's address, 127.0.0.1, is configured as a trusted proxy, so each test
 * can play distinct clients; one connection per test keeps the buckets apart.
 */
@MicronautTest(environments = "dev")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitTest implements TestPropertyProvider {
    private final Topics topics = Topics.of("ingest-rate-" + UUID.randomUUID().toString().substring(0, 8) + ".");

    @Inject
    EmbeddedServer server;

    private WebhookHttp http;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", KafkaFixture.shared().bootstrapServers(),
                "jobpipe.topics.namespace", topics.namespace(),
                "jobpipe.topics.partitions", "1",
                "micronaut.server.port", "-1",
                "jobpipe.ingest.limits.trusted-proxies", "127.0.0.1/32,10.9.0.0/16"));
        // one token a second comes back; the bursts are what a test can use up at once
        connection(properties, "per-client", Map.of("client-rate-per-second", "1", "client-burst", "2"));
        connection(properties, "per-connection", Map.of("rate-per-second", "1", "burst", "3"));
        connection(properties, "forwarded", Map.of("client-rate-per-second", "1", "client-burst", "1"));
        connection(properties, "cheap", Map.of("client-rate-per-second", "1", "client-burst", "1"));
        return properties;
    }

    private static void connection(Map<String, String> properties, String name, Map<String, String> settings) {
        properties.put("jobpipe.ingest.connections." + name + ".scheme", "none");
        settings.forEach((key, value) -> properties.put("jobpipe.ingest.connections." + name + "." + key, value));
    }

    @BeforeAll
    void awaitKafkaReady() {
        http = new WebhookHttp(server.getURI());
        await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health").statusCode() == 200);
    }

    @Test
    void shouldLimitEachClientOnItsOwnAndAnswer429WithRetryAfterAndRateLimitHeaders() {
        assertThat(post("per-client", "203.0.113.1").statusCode()).isEqualTo(202);
        assertThat(post("per-client", "203.0.113.1").statusCode()).isEqualTo(202);

        HttpResponse<String> limited = post("per-client", "203.0.113.1");

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = WebhookHttp.json(limited);
        assertThat(problem.get("type").asText()).isEqualTo("urn:jobpipe:problem:rate-limited");
        assertThat(problem.get("requestId").asText()).startsWith("req_");
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isEqualTo(1L);
        assertThat(limited.headers().firstValue("RateLimit-Limit")).contains("2");
        assertThat(limited.headers().firstValue("RateLimit-Remaining")).contains("0");
        assertThat(limited.headers().firstValue("RateLimit-Reset")).contains(String.valueOf(retryAfter));
        // another client behind the same trusted proxy has its own allowance
        assertThat(post("per-client", "203.0.113.2").statusCode()).isEqualTo(202);
        // and the limited one gets in again once a token has come back
        await().atMost(Duration.ofSeconds(5)).until(() -> post("per-client", "203.0.113.1").statusCode() == 202);
    }

    @Test
    void shouldLimitTheConnectionWhateverTheClient() {
        for (int i = 0; i < 3; i++) {
            assertThat(post("per-connection", "198.51.100." + i).statusCode()).isEqualTo(202);
        }

        HttpResponse<String> limited = post("per-connection", "198.51.100.200");

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("RateLimit-Limit")).contains("3");
        assertThat(WebhookHttp.json(limited).get("detail").asText()).contains("connection 'per-connection'");
    }

    @Test
    void shouldBelieveForwardedForOnlyPastTrustedProxies() {
        // 10.9.1.1 is a trusted proxy too, so the client is the address before it
        assertThat(post("forwarded", "192.0.2.50, 10.9.1.1").statusCode()).isEqualTo(202);
        assertThat(post("forwarded", "192.0.2.50").statusCode()).isEqualTo(429);
        // a client cannot escape its limit by writing its own X-Forwarded-For entries to the left
        assertThat(post("forwarded", "192.0.2.77, 192.0.2.50").statusCode()).isEqualTo(429);
    }

    @Test
    void shouldRefuseALimitedRequestBeforeLookingAtItsBody() {
        assertThat(post("cheap", "192.0.2.9").statusCode()).isEqualTo(202);

        HttpResponse<String> limited = http.post("/webhooks/cheap", "application/json", "{not json at all",
                Map.of("X-Forwarded-For", "192.0.2.9"));

        assertThat(limited.statusCode()).as("429, not 400: the body was never parsed").isEqualTo(429);
    }

    private HttpResponse<String> post(String connection, String forwardedFor) {
        return http.post("/webhooks/" + connection, "application/json", "{\"a\":1}",
                Map.of("X-Forwarded-For", forwardedFor));
    }
}
