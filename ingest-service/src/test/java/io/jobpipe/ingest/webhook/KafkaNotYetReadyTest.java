package io.jobpipe.ingest.webhook;

import io.jobpipe.ingest.support.WebhookHttp;
import io.jobpipe.runtime.infra.FreePorts;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ingest starts although Kafka is down, and until it has created the topics it refuses webhooks at once
 * with a 503: sending earlier could let a broker create the topic with the wrong partition count.
 */
@MicronautTest(environments = "dev")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaNotYetReadyTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:" + FreePorts.next(),
                "jobpipe.topics.namespace", "ingest-not-ready.",
                "micronaut.server.port", "-1",
                // These tests read the health details, which are hidden unless configured.
                "endpoints.health.details-visible", "ANONYMOUS",
                // A send would block this long; the refusal must come well before it.
                "jobpipe.ingest.producer.max-block", "10s");
    }

    @Test
    void shouldRefuseWebhooksWith503UntilTheTopicsExist() {
        WebhookHttp http = new WebhookHttp(server.getURI());
        long started = System.nanoTime();

        HttpResponse<String> response = http.postJson("/webhooks/demo", "{\"a\":1}");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(WebhookHttp.json(response).get("detail").asText()).contains("still connecting to Kafka");
        HttpResponse<String> health = http.get("/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(WebhookHttp.json(health).at("/details/kafka/details/topicsReady").asBoolean(true)).isFalse();
    }
}
