package io.jobpipe.worker.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.core.event.Json;
import io.jobpipe.worker.outbound.OutboundResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What an HTTP agent's answer means for the stage. Pure.
 * <ul>
 *   <li>2xx with a JSON body: the stage's output, its summary the body's {@code summary} when it has one;</li>
 *   <li>202 to an async request: the work is accepted, its result comes to the callback URL;</li>
 *   <li>2xx whose body is not JSON: a non-retryable failure (the agent breaks the contract);</li>
 *   <li>4xx other than 408 and 429: non-retryable, the same request would be refused again;</li>
 *   <li>5xx, 408, 429 (and anything else): retryable, no sooner than its {@code Retry-After}.</li>
 * </ul>
 */
public final class HttpAgentAnswers {
    public static final String REJECTED = "HttpAgentRejected";
    public static final String UNAVAILABLE = "HttpAgentUnavailable";
    public static final String INVALID_RESPONSE = "HttpAgentInvalidResponse";
    private static final int SNIPPET = 200;

    private HttpAgentAnswers() {
    }

    /** @param origin how messages name the agent: {@code scheme://host[:port]} */
    public static AgentOutcome classify(String origin, OutboundResponse response, boolean async, Instant now) {
        int status = response.status();
        if (response.isSuccess()) {
            if (async && status == 202) {
                return AgentOutcome.pending("accepted by " + origin + "; the result comes to the callback URL");
            }
            return output(origin, response, async);
        }
        String answered = origin + " answered HTTP " + status + snippet(response);
        if (status >= 400 && status <= 499 && status != 408 && status != 429) {
            return AgentOutcome.failure(REJECTED, answered, false);
        }
        Optional<Duration> retryAfter = response.header("Retry-After").flatMap(value -> RetryAfter.parse(value, now));
        return retryAfter.map(wait -> AgentOutcome.retryAfter(UNAVAILABLE, answered + " (Retry-After "
                        + wait.toSeconds() + " s)", wait))
                .orElseGet(() -> AgentOutcome.failure(UNAVAILABLE, answered, true));
    }

    private static AgentOutcome output(String origin, OutboundResponse response, boolean async) {
        JsonNode output = null;
        if (response.body().length > 0) {
            try {
                output = Json.MAPPER.readTree(response.body());
            } catch (IOException e) {
                output = null;
            }
        }
        if (output == null || output.isMissingNode()) {
            String type = response.header("Content-Type").orElse("no content type");
            return AgentOutcome.failure(INVALID_RESPONSE, origin + " answered HTTP " + response.status() + " with "
                    + (response.body().length == 0 ? "an empty body" : "a body that is not JSON (" + type + ", "
                    + response.body().length + " bytes)") + "; an HTTP agent answers its output as JSON"
                    + (async ? ", or 202 to take the work and call back later" : ""), false);
        }
        JsonNode summary = output.path("summary");
        return AgentOutcome.success(output, summary.isTextual() ? summary.asText()
                : origin + " answered HTTP " + response.status());
    }

    private static String snippet(OutboundResponse response) {
        if (response.body().length == 0) {
            return "";
        }
        String text = new String(response.body(), 0, Math.min(response.body().length, SNIPPET * 4),
                StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
        return text.isEmpty() ? "" : ": " + (text.length() > SNIPPET ? text.substring(0, SNIPPET) + "…" : text);
    }
}
