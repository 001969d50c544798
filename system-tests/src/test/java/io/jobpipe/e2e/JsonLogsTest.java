package io.jobpipe.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.runtime.supervisor.JobpipeRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code JOBPIPE_LOG_FORMAT=json}, every service logs one JSON object per line, and one job's lines across
 * all four services are found by its {@code jobId}, each carrying the job's {@code traceId}. The system runs as
 * {@code ./jobpipe up} runs it, each service's output in {@code <data>/logs/<service>.log}.
 */
@ExtendWith(SharedSystem.class)
class JsonLogsTest {
    private static final List<String> SERVICES = List.of("ingest", "orchestrator", "worker", "status");
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    /** The supervisor's own line at the top of each start of a child, not the service's output. */
    private static final String SUPERVISOR_MARKER = "---- ";

    private static Path dataDir;
    private static JobpipeRuntime runtime;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The shared system logs JSON (and keeps its access log off: the job's own lines must be found without it). */
    @BeforeAll
    static void useTheSharedSystem() {
        runtime = SharedSystem.get().runtime();
        dataDir = SharedSystem.get().dataDir();
    }

    @Test
    void shouldFindOneJobsLinesInEveryServiceByItsJobId() throws Exception {
        HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create(runtime.options().ingestUrl() + "/webhooks/demo"))
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"opened\",\"title\":\"logs\"}"))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).isEqualTo(202);
        String jobId = Json.MAPPER.readTree(accepted.body()).path("jobId").asText();
        String requestId = accepted.headers().firstValue("X-Request-Id").orElseThrow();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> "COMPLETED".equals(state(jobId)));

        Map<String, List<JsonNode>> jobLines = new LinkedHashMap<>();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (String service : SERVICES) {
                List<JsonNode> lines = jsonLines(service).stream()
                        .filter(line -> jobId.equals(line.path("jobId").asText())).toList();
                assertThat(lines).as(service + " lines of " + jobId).isNotEmpty();
                jobLines.put(service, lines);
            }
        });

        jobLines.forEach((service, lines) -> assertThat(lines).as(service + " lines of " + jobId)
                .allSatisfy(line -> {
                    assertThat(line.path("traceId").asText()).isEqualTo(TRACE_ID);
                    assertThat(line.has("message") && line.has("level") && line.has("@timestamp")).isTrue();
                }));
        assertThat(jobLines.get("ingest")).anySatisfy(line -> assertThat(line.path("requestId").asText()).isEqualTo(requestId));
        assertThat(jobLines.get("orchestrator")).anySatisfy(line -> assertThat(line.path("requestId").asText()).isEqualTo(requestId));
        assertThat(jobLines.get("worker")).extracting(line -> line.path("stage").asText())
                .contains("validate", "normalize", "enrich", "decide", "act", "record", "notify");
        assertThat(jobLines.get("worker")).allSatisfy(line -> assertThat(line.path("attempt").asText()).isEqualTo("1"));
    }

    /** Every line a service wrote, each of which must be one JSON object. */
    private static List<JsonNode> jsonLines(String service) throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        for (String line : Files.readAllLines(dataDir.resolve("logs").resolve(service + ".log"))) {
            if (line.startsWith(SUPERVISOR_MARKER)) {
                continue;
            }
            JsonNode object;
            try {
                object = Json.MAPPER.readTree(line);
            } catch (IOException e) {
                throw new AssertionError(service + " wrote a line that is not JSON: " + line, e);
            }
            assertThat(object.isObject()).as(service + " line " + line).isTrue();
            objects.add(object);
        }
        return objects;
    }

    private static String state(String jobId) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(runtime.options().statusUrl() + "/jobs/" + jobId))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? Json.MAPPER.readTree(response.body()).path("state").asText() : null;
    }
}
