package io.jobpipe.worker.kafka;

import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.testing.KafkaFixture;
import io.jobpipe.testing.PrometheusText;
import io.jobpipe.testing.TestNames;
import io.jobpipe.worker.agent.TestRequests;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.jobpipe.worker.agent.TestRequests.json;
import static io.jobpipe.worker.agent.TestRequests.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /metrics} of a worker that ran real stage requests from a real share group. */
class WorkerMetricsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int SUCCEEDING = 3;

    @TempDir
    static Path workspace;

    private static Topics topics;
    private static EmbeddedServer server;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void startWorker(TestInfo info) {
        KafkaFixture kafka = KafkaFixture.shared();
        topics = TestNames.topics(info);
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "jobpipe.topics.namespace", topics.namespace(),
                "jobpipe.worker.workspace", workspace.toString(),
                "micronaut.server.host", "127.0.0.1",
                "micronaut.server.port", -1));
        WorkerStats stats = server.getApplicationContext().getBean(WorkerStats.class);
        await().atMost(PATIENCE).until(() -> stats.phase() == WorkerStats.Phase.RUNNING);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopWorker() {
        if (producer != null) {
            producer.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldCountAttemptsByStageAndOutcomeTimeAgentsAndCountAcknowledgements() throws Exception {
        List<StageRequested> requests = new ArrayList<>();
        for (int i = 0; i < SUCCEEDING; i++) {
            requests.add(validate("job_metrics_ok_" + i, Map.of()));
        }
        requests.add(validate("job_metrics_invalid", settings("{\"requiredFields\":[\"sender\"]}")));
        for (StageRequested request : requests) {
            producer.send(new ProducerRecord<>(topics.stage("validate").name(), request.jobId(),
                    topics.stage("validate").valueSerde().serializer().serialize("", request))).get();
        }
        producer.send(new ProducerRecord<>(topics.stage("normalize").name(), "job_metrics_garbage",
                "{not json".getBytes(StandardCharsets.UTF_8))).get();
        int records = requests.size() + 1;

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(scrape().value("jobpipe_worker_acknowledgements_total",
                Map.of("type", "ACCEPT"))).isEqualTo(records));
        PrometheusText metrics = scrape();

        String attempts = "jobpipe_worker_stage_attempts_total";
        assertThat(metrics.type(attempts)).isEqualTo("counter");
        assertThat(metrics.value(attempts, Map.of("stage", "validate", "outcome", "succeeded",
                "service", "agent-worker"))).isEqualTo(SUCCEEDING);
        assertThat(metrics.value(attempts, Map.of("stage", "validate", "outcome", "failed_permanent"))).isEqualTo(1);
        assertThat(metrics.samples(attempts, Map.of("stage", "normalize"))).as("an unreadable record runs no agent")
                .isEmpty();
        assertThat(metrics.type("jobpipe_worker_agent_duration_seconds")).isEqualTo("histogram");
        assertThat(metrics.value("jobpipe_worker_agent_duration_seconds_bucket",
                Map.of("stage", "validate", "le", "+Inf"))).isEqualTo(SUCCEEDING + 1);
        assertThat(metrics.value("jobpipe_worker_agent_duration_seconds_bucket",
                Map.of("stage", "validate", "le", "0.001"))).isLessThanOrEqualTo(SUCCEEDING + 1);
        assertThat(metrics.value("jobpipe_worker_acknowledgements_total", Map.of("type", "RELEASE"))).isZero();
        assertThat(metrics.value("jobpipe_worker_acknowledgements_total", Map.of("type", "REJECT"))).isZero();
        assertThat(metrics.value("jobpipe_worker_unreadable_records_total", Map.of("stage", "normalize")))
                .isEqualTo(1);
        assertThat(metrics.value("jobpipe_worker_records_in_flight", Map.of())).isZero();
        assertThat(metrics.samples("process_cpu_usage")).isNotEmpty();
    }

    private static StageRequested validate(String jobId, Map<String, Object> agentSettings) {
        return TestRequests.request(jobId, "validate", new AgentSpec("builtin", "validate", agentSettings), "github",
                "push", json("{\"action\":\"opened\"}"), Json.MAPPER.createObjectNode());
    }

    private static PrometheusText scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.getURL() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        return PrometheusText.parse(response.body());
    }
}
