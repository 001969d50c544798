package io.jobpipe.status.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.status.SseClient;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.testing.KafkaFixture;
import io.jobpipe.testing.PrometheusText;
import io.jobpipe.testing.TestNames;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /metrics} of the whole status service after a job's events went through Kafka into PostgreSQL. */
class StatusMetricsTest {
    /** The events are stamped this long ago, so each one's projection lag is at least this minus nine seconds. */
    private static final Duration AGE = Duration.ofSeconds(20);

    private static StatusTestApp app;
    private static Topics topics;

    @BeforeAll
    static void start(TestInfo info) {
        topics = TestNames.topics(info);
        app = StatusTestApp.withKafka("metrics", topics.namespace(), Map.of());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void shouldMeasureProjectionLagCountEventsAndSubscribersAndShowThePool() throws Exception {
        String jobId = "job-metrics-" + System.nanoTime();
        List<JobEvent> run = TestEvents.successfulRun(jobId, Instant.now().minus(AGE));
        try (KafkaProducer<String, byte[]> producer = producer()) {
            run.subList(0, run.size() - 1).forEach(event -> send(producer, event));
            producer.flush();
            awaitJob(jobId, "RUNNING");

            try (SseClient events = SseClient.open(app.uri("/jobs/" + jobId + "/events"), Map.of())) {
                assertThat(events.status()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(scrape().value("jobpipe_status_sse_subscribers", Map.of())).isEqualTo(1));

                send(producer, run.get(run.size() - 1));
                producer.flush();
                await().atMost(Duration.ofSeconds(30)).until(events::ended);
            }
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(scrape().value("jobpipe_status_sse_subscribers", Map.of())).isZero());
        PrometheusText metrics = scrape();

        assertThat(metrics.value("jobpipe_status_events_projected_total",
                Map.of("outcome", "applied", "service", "status-service"))).isEqualTo(run.size());
        assertThat(metrics.value("jobpipe_status_events_projected_total", Map.of("outcome", "duplicate"))).isZero();
        assertThat(metrics.type("jobpipe_status_projection_lag_seconds")).isEqualTo("histogram");
        assertThat(metrics.value("jobpipe_status_projection_lag_seconds_count", Map.of())).isEqualTo(run.size());
        assertThat(metrics.value("jobpipe_status_projection_lag_seconds_bucket", Map.of("le", "+Inf")))
                .isEqualTo(run.size());
        assertThat(metrics.value("jobpipe_status_projection_lag_seconds_bucket", Map.of("le", "10.0")))
                .as("every event was stamped more than ten seconds before it was projected").isZero();
        assertThat(metrics.value("jobpipe_status_projection_lag_newest_seconds", Map.of()))
                .isGreaterThanOrEqualTo(AGE.minusSeconds(9).toSeconds());
        assertThat(metrics.value("jobpipe_status_projection_unwritten_jobs", Map.of()))
                .as("the job finished, so its rows are written").isZero();
        assertThat(metrics.samples("hikaricp_connections_active")).isNotEmpty();
        assertThat(metrics.samples("hikaricp_connections_idle")).isNotEmpty();
        assertThat(metrics.samples("hikaricp_connections_pending")).isNotEmpty();
        assertThat(metrics.value("hikaricp_connections_max", Map.of())).isEqualTo(4);
        assertThat(metrics.samples("hikaricp_connections_usage_seconds_count")).isNotEmpty();
        assertThat(metrics.samples("jvm_gc_memory_allocated_bytes_total")).isNotEmpty();
        assertThat(metrics.samples("process_cpu_usage")).isNotEmpty();
    }

    private static PrometheusText scrape() throws Exception {
        SseClient.Reply reply = SseClient.get(app.uri("/metrics"));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        return PrometheusText.parse(reply.body());
    }

    private static void awaitJob(String jobId, String state) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            SseClient.Reply reply = SseClient.get(app.uri("/jobs/" + jobId));
            return reply.status() == 200 ? Json.MAPPER.readTree(reply.body()) : null;
        }, (JsonNode job) -> job != null && job.get("state").asText().equals(state));
    }

    private static void send(KafkaProducer<String, byte[]> producer, JobEvent event) {
        producer.send(new ProducerRecord<>(topics.jobEvents.name(), event.jobId(),
                TestEvents.json(event).getBytes(StandardCharsets.UTF_8)));
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.shared().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }
}
