package io.jobpipe.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.support.http.Problem;
import io.jobpipe.support.http.ProblemResponses;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemsTest {

    @Test
    void shouldBuildAProblemWithTypeTitleStatusDetailInstanceAndIds() {
        Problem problem = Problems.of(IngestProblemType.UNKNOWN_CONNECTION, "No connection named 'x'.",
                "/webhooks/x", "req_1", "4bf92f3577b34da6a3ce929d0e0e4736");

        assertThat(problem).isEqualTo(new Problem("urn:jobpipe:problem:unknown-connection", "Unknown connection",
                404, "No connection named 'x'.", "/webhooks/x",
                Map.of("requestId", "req_1", "traceId", "4bf92f3577b34da6a3ce929d0e0e4736")));
    }

    @Test
    void shouldGiveFrameworkErrorsAJobpipeTypeAndKeepTheirDetail() {
        Problem problem = Problems.forStatus(405, "Method Not Allowed",
                "Method [GET] not allowed for URI [/webhooks/demo]. Allowed methods: [POST]",
                "/webhooks/demo", "req_2", null);

        assertThat(problem.type()).isEqualTo("urn:jobpipe:problem:method-not-allowed");
        assertThat(problem.title()).isEqualTo("Method not allowed");
        assertThat(problem.status()).isEqualTo(405);
        assertThat(problem.detail()).contains("Allowed methods: [POST]");
    }

    @Test
    void shouldNeverShowTheCauseOfAServerError() {
        Problem problem = Problems.forStatus(500, "Internal Server Error",
                "Internal Server Error: NullPointerException at com.secret.Internal", "/x", "req_3", null);

        assertThat(problem.type()).isEqualTo(IngestProblemType.INTERNAL_ERROR.uri());
        assertThat(problem.detail()).doesNotContain("NullPointer").contains("requestId");
    }

    @Test
    void shouldUseAboutBlankAndTheReasonPhraseForStatusesWithoutAType() {
        Problem problem = Problems.forStatus(429, "Too Many Requests", "slow down", "/x", "req_4", null);

        assertThat(problem.type()).isEqualTo("about:blank");
        assertThat(problem.title()).isEqualTo("Too Many Requests");
        assertThat(problem.detail()).isEqualTo("slow down");
    }

    @Test
    void shouldSerialiseRfc9457MembersAndLeaveOutUnknownOnes() throws Exception {
        Problem problem = Problems.of(IngestProblemType.EMPTY_BODY, "The body is empty.", "/webhooks/demo", "req_5", null);

        JsonNode json = Json.MAPPER.readTree(ProblemResponses.toBytes(problem));

        assertThat(json.get("type").asText()).isEqualTo("urn:jobpipe:problem:empty-body");
        assertThat(json.get("title").asText()).isEqualTo("Empty body");
        assertThat(json.get("status").asInt()).isEqualTo(400);
        assertThat(json.get("detail").asText()).isEqualTo("The body is empty.");
        assertThat(json.get("instance").asText()).isEqualTo("/webhooks/demo");
        assertThat(json.get("requestId").asText()).isEqualTo("req_5");
        assertThat(json.has("traceId")).isFalse();
    }

    @Test
    void shouldGiveEveryProblemTypeADistinctUri() {
        assertThat(java.util.Arrays.stream(IngestProblemType.values()).map(IngestProblemType::uri).distinct().count())
                .isEqualTo(IngestProblemType.values().length);
    }
}
