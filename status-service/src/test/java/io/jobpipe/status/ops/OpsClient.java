package io.jobpipe.status.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.support.http.Problem;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests to the ops API with a bearer token (or none), and the checks every answer gets. */
public final class OpsClient {
    public static final String READ_TOKEN = "read-secret-1";
    public static final String OPERATE_TOKEN = "operate-secret-1";
    /** The value of {@code jobpipe.ops.tokens} the test apps run with. */
    public static final String TOKENS = "reader:read:" + READ_TOKEN + ",alice:operate:" + OPERATE_TOKEN;

    private final StatusTestApp app;
    private final HttpClient http = HttpClient.newHttpClient();

    public OpsClient(StatusTestApp app) {
        this.app = app;
    }

    public HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return http.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String token, String body) throws IOException, InterruptedException {
        return http.send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(app.uri(path));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    public static JsonNode json(HttpResponse<String> reply, int status) throws IOException {
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(status);
        assertThat(reply.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        return Json.MAPPER.readTree(reply.body());
    }

    public static JsonNode problem(HttpResponse<String> reply, int status) throws IOException {
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(status);
        assertThat(reply.headers().firstValue("content-type").orElse("")).startsWith(Problem.MEDIA_TYPE);
        JsonNode problem = Json.MAPPER.readTree(reply.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank();
        return problem;
    }
}
