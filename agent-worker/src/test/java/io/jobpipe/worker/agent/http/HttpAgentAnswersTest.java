package io.jobpipe.worker.agent.http;

import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.worker.outbound.OutboundResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.jobpipe.worker.agent.TestRequests.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The table of the issue: what each answer of an HTTP agent means for the stage. */
class HttpAgentAnswersTest {
    private static final String ORIGIN = "https://agents.example.com";
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void shouldTakeA2xxJsonBodyAsTheOutputWithItsSummary() {
        AgentOutcome outcome = classify(200, "{\"summary\":\"parsed 3 pages\",\"pages\":3}", Map.of(), false);

        assertThat(outcome).isEqualTo(AgentOutcome.success(json("{\"summary\":\"parsed 3 pages\",\"pages\":3}"),
                "parsed 3 pages"));
        assertThat(((AgentOutcome.Success) classify(201, "[1,2]", Map.of(), false)).summary())
                .isEqualTo(ORIGIN + " answered HTTP 201");
    }

    @Test
    void shouldFailForGoodOnA2xxWhoseBodyIsNotJson() {
        AgentOutcome html = classify(200, "<html>ok</html>", Map.of("content-type", "text/html"), false);
        AgentOutcome empty = classify(204, "", Map.of(), false);

        assertThat(html).isEqualTo(AgentOutcome.failure(HttpAgentAnswers.INVALID_RESPONSE, ORIGIN + " answered HTTP"
                + " 200 with a body that is not JSON (text/html, 15 bytes); an HTTP agent answers its output as JSON",
                false));
        assertThat(((AgentOutcome.Failure) empty).message()).contains("with an empty body");
        assertThat(((AgentOutcome.Failure) empty).retryable()).isFalse();
    }

    @Test
    void shouldLeaveAnAsyncAttemptPendingOnA202AndReadA202BodyInSyncMode() {
        assertThat(classify(202, "", Map.of(), true)).isInstanceOf(AgentOutcome.Pending.class);
        assertThat(classify(202, "{\"queued\":true}", Map.of(), false)).isInstanceOf(AgentOutcome.Success.class);
        assertThat(classify(200, "{\"done\":true}", Map.of(), true)).as("an async agent may answer at once")
                .isInstanceOf(AgentOutcome.Success.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409, 410, 413, 422})
    void shouldFailForGoodOnA4xxOtherThan408And429(int status) {
        AgentOutcome outcome = classify(status, "{\"error\":\"bad field\"}", Map.of("retry-after", "5"), false);

        assertThat(outcome).isEqualTo(AgentOutcome.failure(HttpAgentAnswers.REJECTED,
                ORIGIN + " answered HTTP " + status + ": {\"error\":\"bad field\"}", false));
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504})
    void shouldRetryOn5xx408And429HonouringRetryAfter(int status) {
        AgentOutcome.Failure plain = (AgentOutcome.Failure) classify(status, "", Map.of(), false);
        AgentOutcome.Failure later = (AgentOutcome.Failure) classify(status, "", Map.of("retry-after", "30"), false);
        AgentOutcome.Failure dated = (AgentOutcome.Failure) classify(status, "",
                Map.of("retry-after", "Sun, 01 Mar 2026 10:02:00 GMT"), false);

        assertThat(plain).isEqualTo(new AgentOutcome.Failure(HttpAgentAnswers.UNAVAILABLE,
                ORIGIN + " answered HTTP " + status, true, null));
        assertThat(later.retryable()).isTrue();
        assertThat(later.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(later.message()).endsWith("(Retry-After 30 s)");
        assertThat(dated.retryAfter()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void shouldCutALongErrorBodyToOneShortLine() {
        String message = ((AgentOutcome.Failure) classify(400, "line\n".repeat(200), Map.of(), false)).message();

        assertThat(message).doesNotContain("\n").endsWith("…").hasSizeLessThan(ORIGIN.length() + 240);
    }

    private static AgentOutcome classify(int status, String body, Map<String, String> headers, boolean async) {
        return HttpAgentAnswers.classify(ORIGIN, new OutboundResponse(status, headers,
                body.getBytes(StandardCharsets.UTF_8)), async, NOW);
    }
}
