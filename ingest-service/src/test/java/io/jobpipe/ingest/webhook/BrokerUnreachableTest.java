package io.jobpipe.ingest.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.ingest.kafka.SendFailures;
import io.jobpipe.ingest.support.Sign;
import io.jobpipe.ingest.support.WebhookHttp;
import io.jobpipe.runtime.infra.FreePorts;
import io.jobpipe.support.callback.CallbackSecretProperties;
import io.jobpipe.support.callback.CallbackToken;
import io.jobpipe.support.callback.CallbackTokens;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka's address is a closed port and the topics are the operator's ({@code auto-create=false}), so every
 * webhook goes all the way to the producer, which cannot reach a broker: the sender must get a 503 with
 * {@code Retry-After} within a few seconds, never a 2xx. Runs outside the dev environment, so there is no
 * unsigned {@code demo} connection (scheme {@code none} is refused there); the test declares a signed one.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerUnreachableTest implements TestPropertyProvider {
    private static final Duration FEW_SECONDS = Duration.ofSeconds(5);
    private static final String CALLBACK_SECRET = "unreachable-callback-secret-of-32-bytes+";

    @Inject
    EmbeddedServer server;

    private WebhookHttp http;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:" + FreePorts.next(),
                "jobpipe.topics.namespace", "ingest-unreachable.",
                "jobpipe.topics.auto-create", "false",
                "micronaut.server.port", "-1",
                // These tests read the health details, which are hidden unless configured.
                "endpoints.health.details-visible", "ANONYMOUS",
                "jobpipe.ingest.retry-after", "7s",
                "jobpipe.ingest.connections.hooks.scheme", "hmac",
                "jobpipe.ingest.connections.hooks.secrets", "unreachable-secret",
                "jobpipe.ingest.callbacks.enabled", "true",
                "jobpipe.callbacks.secret", CALLBACK_SECRET);
    }

    @BeforeAll
    void client() {
        http = new WebhookHttp(server.getURI());
    }

    @Test
    void shouldAnswer503WithRetryAfterWithinAFewSecondsAndNeverA2xx() {
        for (int i = 0; i < 3; i++) {
            long started = System.nanoTime();
            String body = "{\"attempt\":" + i + "}";
            HttpResponse<String> response = http.post("/webhooks/hooks", "application/json", body,
                    Map.of("X-Signature", Sign.hmacHex("unreachable-secret", body)));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(took).isLessThan(FEW_SECONDS);
            assertThat(response.headers().firstValue("Retry-After")).contains("7");
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            JsonNode problem = WebhookHttp.json(response);
            assertThat(problem.get("type").asText()).isEqualTo("urn:jobpipe:problem:broker-unavailable");
            assertThat(problem.get("status").asInt()).isEqualTo(503);
            assertThat(problem.get("detail").asText()).doesNotContainIgnoringCase("nothing was accepted")
                    .containsAnyOf(SendFailures.NOT_ACKNOWLEDGED_DETAIL, "still connecting to Kafka");
        }
    }

    /** An agent's callback takes the same road to Kafka as a webhook: the same promise, 503 and never a 2xx. */
    @Test
    void shouldAnswerAnAgentsCallback503WithRetryAfterWithinAFewSecondsAndNeverA2xx() {
        CallbackTokens tokens = new CallbackSecretProperties(CALLBACK_SECRET, null).tokens("test");
        for (boolean heartbeat : new boolean[]{false, true}) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            String token = tokens.mint(new CallbackToken("job_unreachable", "parse", 1, now, now.plusSeconds(600)));
            long started = System.nanoTime();
            HttpResponse<String> response = heartbeat
                    ? http.postJson("/callbacks/" + token + "/heartbeat", "{\"progress\":\"page 2 of 3\"}")
                    : http.postJson("/callbacks/" + token, "{\"status\":\"succeeded\",\"output\":{\"pages\":3}}");
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(took).isLessThan(FEW_SECONDS);
            assertThat(response.headers().firstValue("Retry-After")).contains("7");
            assertThat(WebhookHttp.json(response).get("type").asText())
                    .isEqualTo("urn:jobpipe:problem:broker-unavailable");
        }
    }

    @Test
    void shouldReportKafkaDownOnHealth() {
        HttpResponse<String> response = http.get("/health");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(WebhookHttp.json(response).at("/details/kafka/status").asText()).isEqualTo("DOWN");
    }

    @Test
    void shouldHaveNoUnsignedDemoConnectionOutsideTheDevEnvironment() {
        HttpResponse<String> response = http.postJson("/webhooks/demo", "{}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(WebhookHttp.json(response).get("type").asText()).isEqualTo("urn:jobpipe:problem:unknown-connection");
    }
}
