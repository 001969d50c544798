package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.runtime.client.HttpClients;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The status service's ops API ({@code /ops/…}) as the CLI calls it: JSON with the bearer token, and every
 * refusal turned into an {@link OpsFailure} whose message shows the problem's detail; a 401 or 403 names the
 * token's source and how to pass another.
 */
final class OpsApi {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final String statusUrl;
    private final OpsToken token;
    private final HttpClient client = HttpClients.newClient();

    OpsApi(String statusUrl, OpsToken token) {
        this.statusUrl = statusUrl;
        this.token = token;
    }

    /** The answer of a {@code GET}; {@code action} completes "cannot …" in messages. */
    JsonNode get(String pathAndQuery, String action) throws OpsFailure, InterruptedException {
        return send(request(pathAndQuery).GET().build(), action);
    }

    /** The answer of a {@code POST} of {@code body} as JSON. */
    JsonNode post(String path, JsonNode body, String action) throws OpsFailure, InterruptedException {
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), action);
    }

    /** A link from an answer, made absolute against the status URL when it is a path. */
    String absolute(String link, String fallbackPath) {
        if (link == null || link.isBlank()) {
            return HttpClients.resolve(statusUrl, fallbackPath).toString();
        }
        return link.startsWith("/") ? HttpClients.resolve(statusUrl, link).toString() : link;
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        URI uri = HttpClients.resolve(statusUrl, pathAndQuery);
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token.value());
    }

    private JsonNode send(HttpRequest request, String action) throws OpsFailure, InterruptedException {
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw OpsFailure.refused("cannot " + action + ": status service is not reachable at " + statusUrl
                    + " (is ./jobpipe up running?)");
        } catch (IOException e) {
            throw OpsFailure.refused("cannot " + action + ": request to " + request.uri() + " failed: " + e);
        }
        int status = response.statusCode();
        if (status == 401) {
            throw OpsFailure.tokenRejected("cannot " + action + ": the status service did not accept "
                    + token.describe() + " (" + Problem.of(response).describe() + "). " + howToPass()
                    + (token.isDevDefault() ? " (./jobpipe up starts status with the dev tokens; a status service "
                    + "started otherwise has its own.)" : ""));
        }
        if (status == 403) {
            throw OpsFailure.tokenRejected("cannot " + action + ": the status service refused " + token.describe()
                    + " for this (" + Problem.of(response).describe() + "); it needs a token with the operate role. "
                    + howToPass());
        }
        if (status / 100 != 2) {
            throw OpsFailure.refused("cannot " + action + ": " + Problem.of(response).describe());
        }
        try {
            return Json.MAPPER.readTree(response.body().isBlank() ? "{}" : response.body());
        } catch (IOException e) {
            throw OpsFailure.refused("cannot " + action + ": the status service answered something that is not JSON: "
                    + e.getMessage());
        }
    }

    static String howToPass() {
        return "Pass an ops token with --token TOKEN or the " + OpsToken.ENV + " environment variable.";
    }
}
