package io.jobpipe.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.runtime.bench.IngestBench;
import io.jobpipe.runtime.bench.IngestBenchReport;
import io.jobpipe.runtime.client.WebhookSigning;
import io.jobpipe.runtime.supervisor.JobpipeRuntime;
import io.jobpipe.testing.PrometheusText;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole system as {@code ./jobpipe up} runs it — a real KRaft broker, real PostgreSQL and the four services,
 * each in its own JVM — driven only over HTTP and SSE, as a webhook producer and a frontend would.
 */
@ExtendWith(SharedSystem.class)
class EndToEndTest {
    private static final List<String> STAGES = List.of("validate", "normalize", "enrich", "decide", "act", "record", "notify");
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static Path dataDir;
    private static JobpipeRuntime runtime;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void useTheSharedSystem() {
        runtime = SharedSystem.get().runtime();
        dataDir = SharedSystem.get().dataDir();
    }

    /**
     * {@code ./jobpipe bench ingest} against this system, a few seconds of load: the bare Micronaut endpoint starts in
     * its own JVM and answers, ingest accepts signed webhooks with unique delivery ids (nothing answered as a
     * duplicate), and every figure the verdict rests on is measured. The targets themselves are the benchmark's,
     * not a timed test's (docs/BENCHMARKS.md, "Issue 7: ingest throughput").
     */
    @Test
    void shouldMeasureIngestAgainstABareMicronautEndpoint() throws Exception {
        IngestBench.Plan plan = new IngestBench.Plan(URI.create(runtime.options().ingestUrl()), "github",
                "dev-github-secret", 1024, 2, Duration.ofSeconds(1), 2, Duration.ofSeconds(1), Duration.ofSeconds(1), 64,
                Duration.ofSeconds(10), List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        StringWriter progress = new StringWriter();

        IngestBenchReport report = new IngestBench(plan, new PrintWriter(progress)).run();

        assertThat(progress.toString()).contains("2 rounds of bare endpoint (pid", "round 2: bare", "latency: ingest at");
        assertThat(report.baselineRounds()).hasSize(2).allSatisfy(rate -> assertThat(rate).isPositive());
        assertThat(report.ingestRounds()).hasSize(2);
        assertThat(report.baseline().byStatus()).containsOnlyKeys(202);
        assertThat(report.baseline().accepted()).isPositive();
        assertThat(report.ingest().byStatus().getOrDefault(202, 0L)).isPositive();
        assertThat(report.ingest().byStatus()).doesNotContainKeys(200, 401, 400);
        assertThat(report.ingest().transportErrors()).isZero();
        assertThat(report.ratio()).isEqualTo(report.ingest().acceptedPerSecond() / report.baseline().acceptedPerSecond());
        assertThat(report.halfRate()).isEqualTo(Math.max(1, report.ingest().acceptedPerSecond() / 2));
        assertThat(report.atHalf().sent()).isEqualTo(Math.max(1, (long) Math.floor(report.halfRate() + 1e-9)));
        assertThat(report.atHalf().accepted() + report.atHalf().failed()).isEqualTo(report.atHalf().sent());
        assertThat(report.atHalf().latency().count()).isEqualTo(report.atHalf().accepted());
    }

    @Test
    void shouldRunAWebhookThroughAllSevenStagesLiveOverSse() throws Exception {
        HttpResponse<String> accepted = post("/webhooks/demo", "{\"action\":\"opened\",\"title\":\"urgent: checkout is down\"}",
                "00-" + TRACE_ID + "-00f067aa0ba902b7-01");
        assertThat(accepted.statusCode()).isEqualTo(202);
        JsonNode body = Json.MAPPER.readTree(accepted.body());
        String jobId = body.path("jobId").asText();
        assertThat(jobId).startsWith("job_");
        assertThat(body.path("statusUrl").asText()).endsWith("/jobs/" + jobId);

        List<SseClient.SseEvent> events = SseClient.readUntilTerminal(HTTP, body.path("eventsUrl").asText(), null, Duration.ofSeconds(60));

        List<String> expectedTypes = new ArrayList<>(List.of("JobAccepted"));
        STAGES.forEach(stage -> expectedTypes.addAll(List.of("StageDispatched", "StageCompleted")));
        expectedTypes.add("JobCompleted");
        assertThat(events).extracting(SseClient.SseEvent::event).containsExactlyElementsOf(expectedTypes);
        assertThat(events).extracting(SseClient.SseEvent::id)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, expectedTypes.size()).mapToObj(String::valueOf).toList());
        List<String> completedStages = events.stream().filter(e -> e.event().equals("StageCompleted"))
                .map(e -> read(e.data()).path("stage").asText()).toList();
        assertThat(completedStages).containsExactlyElementsOf(STAGES);

        JsonNode status = Json.MAPPER.readTree(get("/jobs/" + jobId).body());
        assertThat(status.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(status.path("traceId").asText()).isEqualTo(TRACE_ID);
        assertThat(status.path("stages")).hasSize(7);
        for (int i = 0; i < STAGES.size(); i++) {
            JsonNode stage = status.path("stages").get(i);
            assertThat(stage.path("name").asText()).isEqualTo(STAGES.get(i));
            assertThat(stage.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(stage.path("attempts").asInt()).isEqualTo(1);
            assertThat(stage.path("summary").asText()).isNotBlank();
            assertThat(stage.path("startedAt").isNull()).isFalse();
            assertThat(stage.path("endedAt").isNull()).isFalse();
        }
        // The act stage wrote its files inside the sandboxed workspace, and nowhere else.
        assertThat(Files.walk(dataDir.resolve("workspace")).anyMatch(p -> p.toString().contains(jobId))).isTrue();
    }

    @Test
    void shouldRunADeliverySignedForTheDevGithubConnectionAndRefuseATamperedOne() throws Exception {
        byte[] body = "{\"ref\":\"refs/heads/main\",\"repository\":{\"full_name\":\"acme/shop\"}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Map<String, String> signed = WebhookSigning.of("github", "dev-github-secret")
                .headers(body, "e2e-delivery-1", "push", System.currentTimeMillis() / 1000);

        HttpResponse<String> accepted = post("/webhooks/github", body, signed);
        byte[] tampered = "{\"ref\":\"refs/heads/evil\",\"repository\":{\"full_name\":\"acme/shop\"}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> refused = post("/webhooks/github", tampered, signed);

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode answer = Json.MAPPER.readTree(accepted.body());
        List<SseClient.SseEvent> events = SseClient.readUntilTerminal(HTTP, answer.path("eventsUrl").asText(), null,
                Duration.ofSeconds(60));
        assertThat(events).last().extracting(SseClient.SseEvent::event).isEqualTo("JobCompleted");
        JsonNode status = Json.MAPPER.readTree(get("/jobs/" + answer.path("jobId").asText()).body());
        assertThat(status.path("connection").asText()).isEqualTo("github");
        assertThat(status.path("eventType").asText()).isEqualTo("push");
        assertThat(status.path("deliveryId").asText()).isEqualTo("e2e-delivery-1");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(Json.MAPPER.readTree(refused.body()).path("type").asText()).isEqualTo("urn:jobpipe:problem:signature-rejected");
    }

    @Test
    void shouldReplayOnlyLaterEventsToAReconnectingSseClient() throws Exception {
        String jobId = Json.MAPPER.readTree(post("/webhooks/demo", "{\"n\":1}", null).body()).path("jobId").asText();
        String eventsUrl = statusUrl() + "/jobs/" + jobId + "/events";
        List<SseClient.SseEvent> all = SseClient.readUntilTerminal(HTTP, eventsUrl, null, Duration.ofSeconds(60));

        List<SseClient.SseEvent> resumed = SseClient.readUntilTerminal(HTTP, eventsUrl, "5", Duration.ofSeconds(30));

        assertThat(resumed).containsExactlyElementsOf(all.subList(5, all.size()));
    }

    @Test
    void shouldRejectBadInputWithProblemJsonAndNoJob() throws Exception {
        HttpResponse<String> unknown = post("/webhooks/no-such-connection", "{}", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));

        HttpResponse<String> notJson = post("/webhooks/demo", "this is not json", null);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(Json.MAPPER.readTree(notJson.body()).path("status").asInt()).isEqualTo(400);
    }

    @Test
    void shouldServePrometheusMetricsOnEveryServiceAfterAJob() throws Exception {
        JsonNode accepted = Json.MAPPER.readTree(post("/webhooks/demo", "{\"n\":2}", null).body());
        SseClient.readUntilTerminal(HTTP, accepted.path("eventsUrl").asText(), null, Duration.ofSeconds(60));

        PrometheusText ingest = scrape(runtime.options().ingestPort(), "ingest-service");
        assertThat(ingest.value("jobpipe_ingest_requests_total", Map.of("connection", "demo", "status", "202")))
                .isGreaterThanOrEqualTo(1);
        assertThat(ingest.samples("jobpipe_ingest_request_duration_seconds_bucket")).isNotEmpty();
        PrometheusText orchestrator = scrape(runtime.options().orchestratorPort(), "orchestrator-service");
        assertThat(orchestrator.value("jobpipe_orchestrator_transitions_total",
                Map.of("type", "JobCompleted", "stage", "none"))).isGreaterThanOrEqualTo(1);
        assertThat(orchestrator.samples("kafka_stream_processor_node_record_e2e_latency_avg")).isNotEmpty();
        PrometheusText worker = scrape(runtime.options().workerPort(), "agent-worker");
        for (String stage : STAGES) {
            assertThat(worker.value("jobpipe_worker_stage_attempts_total", Map.of("stage", stage, "outcome", "succeeded")))
                    .isGreaterThanOrEqualTo(1);
        }
        PrometheusText status = scrape(runtime.options().statusPort(), "status-service");
        assertThat(status.value("jobpipe_status_projection_lag_seconds_count", Map.of())).isGreaterThanOrEqualTo(1);
        assertThat(status.samples("hikaricp_connections_active")).isNotEmpty();
    }

    /** {@code GET /metrics} of the service on {@code port}: Prometheus text, every series tagged with the service. */
    private static PrometheusText scrape(int port, String service) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("text/plain; version=0.0.4; charset=utf-8");
        PrometheusText metrics = PrometheusText.parse(response.body());
        assertThat(metrics.samples("process_cpu_usage")).singleElement()
                .satisfies(sample -> assertThat(sample.labels()).containsEntry("service", service));
        return metrics;
    }

    private static HttpResponse<String> post(String path, String json, String traceparent) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(runtime.options().ingestUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(15));
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(runtime.options().ingestUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(15));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(statusUrl() + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String statusUrl() {
        return runtime.options().statusUrl();
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("jobpipe")) && Files.isDirectory(p.resolve("pipeline-core"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
    }
}
