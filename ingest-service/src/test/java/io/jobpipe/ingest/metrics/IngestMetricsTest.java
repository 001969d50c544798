package io.jobpipe.ingest.metrics;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.ingest.support.WebhookHttp;
import io.jobpipe.testing.KafkaFixture;
import io.jobpipe.testing.PrometheusText;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /metrics} after real webhooks went to a real broker: every request counted once, with its latency. */
@MicronautTest(environments = "dev")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestMetricsTest implements TestPropertyProvider {
    private static final int ACCEPTED = 5;

    private final Topics topics = Topics.of("ingest-metrics-" + UUID.randomUUID().toString().substring(0, 8) + ".");

    @Inject
    EmbeddedServer server;

    private WebhookHttp http;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "kafka.bootstrap.servers", KafkaFixture.shared().bootstrapServers(),
                "jobpipe.topics.namespace", topics.namespace(),
                "jobpipe.topics.partitions", "2",
                "micronaut.server.port", "-1");
    }

    @BeforeAll
    void awaitKafkaReady() {
        http = new WebhookHttp(server.getURI());
        await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health").statusCode() == 200);
    }

    @Test
    void shouldCountTimeAndLabelEveryWebhookRequest() {
        for (int i = 0; i < ACCEPTED; i++) {
            assertThat(http.postJson("/webhooks/demo", "{\"n\":" + i + "}").statusCode()).isEqualTo(202);
        }
        assertThat(http.postJson("/webhooks/demo", "{not json").statusCode()).isEqualTo(400);
        assertThat(http.postJson("/webhooks/made-up-" + UUID.randomUUID(), "{}").statusCode()).isEqualTo(404);

        HttpResponse<String> scrape = http.get("/metrics");

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        PrometheusText metrics = PrometheusText.parse(scrape.body());
        assertThat(metrics.type("jobpipe_ingest_requests_total")).isEqualTo("counter");
        assertThat(metrics.value("jobpipe_ingest_requests_total",
                Map.of("connection", "demo", "status", "202", "service", "ingest-service"))).isEqualTo(ACCEPTED);
        assertThat(metrics.value("jobpipe_ingest_requests_total",
                Map.of("connection", "demo", "status", "400"))).isEqualTo(1);
        assertThat(metrics.value("jobpipe_ingest_requests_total",
                Map.of("connection", IngestMetrics.UNKNOWN_CONNECTION, "status", "404"))).isEqualTo(1);
        assertThat(metrics.samples("jobpipe_ingest_requests_total"))
                .as("a made-up connection name never becomes a label")
                .noneMatch(sample -> sample.labels().get("connection").startsWith("made-up-"));

        assertThat(metrics.type("jobpipe_ingest_request_duration_seconds")).isEqualTo("histogram");
        assertThat(metrics.value("jobpipe_ingest_request_duration_seconds_bucket",
                Map.of("connection", "demo", "status_class", "2xx", "le", "+Inf"))).isEqualTo(ACCEPTED);
        assertThat(metrics.samples("jobpipe_ingest_request_duration_seconds_bucket",
                Map.of("connection", "demo", "status_class", "2xx"))).hasSizeGreaterThan(10);
        assertThat(metrics.value("jobpipe_ingest_produce_duration_seconds_count",
                Map.of("outcome", "acknowledged"))).isEqualTo(ACCEPTED);
        assertThat(metrics.value("jobpipe_ingest_produce_duration_seconds_count",
                Map.of("outcome", "failed"))).isZero();
        assertThat(metrics.value("jobpipe_ingest_requests_in_flight", Map.of())).isZero();
        assertThat(metrics.samples("process_cpu_usage")).isNotEmpty();
        assertThat(metrics.samples("jvm_gc_memory_allocated_bytes_total")).isNotEmpty();
    }
}
