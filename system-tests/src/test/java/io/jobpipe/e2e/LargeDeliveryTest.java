package io.jobpipe.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.runtime.infra.FreePorts;
import io.jobpipe.runtime.supervisor.JobpipeRuntime;
import io.jobpipe.runtime.supervisor.RuntimeOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 25 MiB webhook (GitHub's largest) through the whole system: accepted by ingest, carried in the job's state and
 * every stage request, completed by all seven stages, and its resend recognised as a duplicate. The body is mostly hex,
 * which compresses to about half: far above Kafka's default 1 MiB limit even after compression.
 */
class LargeDeliveryTest {
    private static final int MAX_BODY = 25 * 1024 * 1024;

    @TempDir
    static Path dataDir;
    private static JobpipeRuntime runtime;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startSystem() {
        RuntimeOptions options = new RuntimeOptions(EndToEndTest.repositoryRoot(), dataDir, FreePorts.next(),
                FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next(),
                3, "", "-Xms32m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1")
                .withServiceEnvironment(Map.of("JOBPIPE_INGEST_MAX_BODY_BYTES", String.valueOf(MAX_BODY)));
        runtime = JobpipeRuntime.start(options, line -> System.out.println("[e2e-large] " + line));
    }

    @AfterAll
    static void stopSystem() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void shouldRunA25MiBDeliveryThroughAllSevenStagesAndRecogniseItsResend() throws Exception {
        byte[] body = bodyOfExactly(MAX_BODY);
        String deliveryId = UUID.randomUUID().toString();

        long sent = System.nanoTime();
        HttpResponse<String> accepted = post(body, deliveryId);
        long answered = System.nanoTime();
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String jobId = Json.MAPPER.readTree(accepted.body()).path("jobId").asText();

        JsonNode status = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                .until(() -> job(jobId), job -> job != null && !job.path("state").asText().matches("ACCEPTED|RUNNING"));
        assertThat(status.path("state").asText()).as(status.toString()).isEqualTo("COMPLETED");
        System.out.printf("[e2e-large] %d-byte body: 202 after %d ms, COMPLETED seen after %d ms%n", body.length,
                (answered - sent) / 1_000_000, (System.nanoTime() - sent) / 1_000_000);
        assertThat(status.path("stages")).hasSize(7).allSatisfy(stage ->
                assertThat(stage.path("status").asText()).isEqualTo("SUCCEEDED"));
        // The record stage wrote the whole payload into the job's run.json.
        Path runJson;
        try (var files = Files.walk(dataDir.resolve("workspace"))) {
            runJson = files.filter(p -> p.toString().contains(jobId) && p.getFileName().toString().equals("run.json"))
                    .findFirst().orElseThrow();
        }
        assertThat(Files.size(runJson)).isGreaterThan(MAX_BODY);

        HttpResponse<String> resent = post(body, deliveryId);
        assertThat(resent.statusCode()).isEqualTo(202);
        assertThat(resent.headers().firstValue("Jobpipe-Duplicate")).contains("true");
        assertThat(Json.MAPPER.readTree(resent.body()).path("jobId").asText()).isEqualTo(jobId);
    }

    /** A GitHub-like JSON object of exactly {@code size} bytes: commits with random hex patches. */
    private static byte[] bodyOfExactly(int size) {
        Random random = new Random(42);
        ByteArrayOutputStream json = new ByteArrayOutputStream(size);
        String head = "{\"action\":\"synchronize\",\"title\":\"a very large push\",\"commits\":[";
        json.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        byte[] chunk = new byte[400];
        int i = 0;
        String tail = "],\"padding\":\"";
        while (json.size() + 1200 + tail.length() + 2 < size) {
            random.nextBytes(chunk);
            String commit = (i == 0 ? "" : ",") + "{\"id\":" + i + ",\"patch\":\"" + HexFormat.of().formatHex(chunk) + "\"}";
            json.writeBytes(commit.getBytes(StandardCharsets.UTF_8));
            i++;
        }
        json.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
        json.writeBytes("x".repeat(size - json.size() - 2).getBytes(StandardCharsets.UTF_8));
        json.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
        byte[] bytes = json.toByteArray();
        assertThat(bytes).hasSize(size);
        return bytes;
    }

    private static HttpResponse<String> post(byte[] body, String deliveryId) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(runtime.options().ingestUrl() + "/webhooks/demo"))
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", deliveryId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode job(String jobId) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(runtime.options().statusUrl() + "/jobs/" + jobId)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? Json.MAPPER.readTree(response.body()) : null;
    }
}
