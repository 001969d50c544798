package io.jobpipe.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.runtime.supervisor.RuntimeOptions;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A running system's HTTP doors, as a user and an operator call them: webhooks in, job status and ops API out. */
final class SystemHttp {
    static final String READ_TOKEN = "dev-read-token";
    static final String OPERATE_TOKEN = "dev-operate-token";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final RuntimeOptions options;

    SystemHttp(RuntimeOptions options) {
        this.options = options;
    }

    HttpClient client() {
        return http;
    }

    /** Posts a webhook to the dev connection {@code demo} with {@code eventType}; returns the accepted job's id. */
    String postDemo(String eventType, String body) throws Exception {
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(options.ingestUrl() + "/webhooks/demo"))
                .header("Content-Type", "application/json").header("X-Event-Type", eventType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        return json(posted, 202).path("jobId").asText();
    }

    /** Waits (up to {@code atMost}) until {@code GET /jobs/{id}} says {@code state}; returns that document. */
    JsonNode awaitState(String jobId, String state, Duration atMost) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            last[0] = json(get("/jobs/" + jobId), 200);
            assertThat(last[0].path("state").asText()).isEqualTo(state);
        });
        return last[0];
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(options.statusUrl() + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET of what needs a read token (listing, search, stats, exports), with the dev read token. */
    HttpResponse<String> read(String path) throws Exception {
        return ops("GET", path, READ_TOKEN, null);
    }

    HttpResponse<String> ops(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(options.statusUrl() + path))
                .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return Json.MAPPER.readTree(response.body());
    }
}
