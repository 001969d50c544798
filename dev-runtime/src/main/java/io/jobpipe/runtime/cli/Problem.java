package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;

import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.Optional;

/** An RFC 9457 problem a jobpipe service answered with, or the best reading of a non-problem error response. */
record Problem(int status, String title, String detail, String retryAfter) {

    static Problem of(HttpResponse<String> response) {
        return of(response.statusCode(), response.headers(), response.body());
    }

    static Problem of(int statusCode, HttpHeaders headers, String responseBody) {
        String retryAfter = headers.firstValue("Retry-After").orElse(null);
        String body = responseBody == null ? "" : responseBody;
        JsonNode json = parse(body);
        if (json != null && json.isObject() && (json.hasNonNull("title") || json.hasNonNull("detail"))) {
            return new Problem(json.path("status").asInt(statusCode),
                    json.path("title").asText("HTTP " + statusCode),
                    json.hasNonNull("detail") ? json.get("detail").asText() : null, retryAfter);
        }
        String snippet = body.isBlank() ? null : body.strip().lines().findFirst().orElse("");
        if (snippet != null && snippet.length() > 200) {
            snippet = snippet.substring(0, 200) + "…";
        }
        return new Problem(statusCode, "HTTP " + statusCode, snippet, retryAfter);
    }

    /** {@code title (status): detail}, plus the retry hint when the service gave one. */
    String describe() {
        StringBuilder text = new StringBuilder(title).append(" (").append(status).append(')');
        Optional.ofNullable(detail).filter(d -> !d.isBlank()).ifPresent(d -> text.append(": ").append(d));
        if (retryAfter != null) {
            text.append(" — retry after ").append(retryAfter).append(" s");
        }
        return text.toString();
    }

    private static JsonNode parse(String body) {
        try {
            return body.isBlank() ? null : Json.MAPPER.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }
}
