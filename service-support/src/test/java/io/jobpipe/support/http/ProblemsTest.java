package io.jobpipe.support.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemsTest {
    private static final ProblemType NOT_FOUND = new ProblemType() {
        public int status() {
            return 404;
        }

        public String slug() {
            return "not-found";
        }

        public String title() {
            return "Not found";
        }
    };

    @Test
    void shouldNeverShowTheCauseOfAServerErrorWhateverTheService() {
        Problem withId = Problems.forStatus(500, "Internal Server Error",
                "Internal Server Error: NullPointerException at com.secret.Internal", "/x", null, Map.of("requestId", "r1"));
        Problem withoutId = Problems.forStatus(503, "Service Unavailable", "java.net.ConnectException: db:5432",
                "/x", NOT_FOUND, Map.of());

        assertThat(withId.detail()).doesNotContain("NullPointer").contains("requestId");
        assertThat(withoutId.detail()).doesNotContain("ConnectException", "db:5432").contains("logged");
    }

    @Test
    void shouldUseAboutBlankAndTheReasonPhraseWhenTheServiceNamesNoType() {
        Problem problem = Problems.forStatus(404, "Not Found", "Page Not Found", "/nope", null, Map.of());

        assertThat(problem.type()).isEqualTo(Problem.BLANK_TYPE);
        assertThat(problem.title()).isEqualTo("Not Found");
        assertThat(problem.detail()).isEqualTo("Page Not Found");
    }

    @Test
    void shouldUseTheServicesTypeForAFrameworkStatus() {
        Problem problem = Problems.forStatus(404, "Not Found", null, "/nope", NOT_FOUND, Map.of());

        assertThat(problem.type()).isEqualTo("urn:jobpipe:problem:not-found");
        assertThat(problem.title()).isEqualTo("Not found");
        assertThat(problem.detail()).isNull();
    }

    @Test
    void shouldWriteRfcMembersFirstAndExtensionsWithoutNullsAndWithoutShadowing() throws Exception {
        Map<String, Object> extensions = new HashMap<>();
        extensions.put("jobId", "job-1");
        extensions.put("traceId", null);
        extensions.put("status", 200);
        Problem problem = Problem.of(NOT_FOUND, "no such job", "/jobs/job-1", extensions);

        JsonNode json = Json.MAPPER.readTree(ProblemResponses.toBytes(problem));

        assertThat(json.get("type").asText()).isEqualTo("urn:jobpipe:problem:not-found");
        assertThat(json.get("status").asInt()).isEqualTo(404);
        assertThat(json.get("jobId").asText()).isEqualTo("job-1");
        assertThat(json.has("traceId")).isFalse();
        assertThat(Json.MAPPER.writeValueAsString(problem)).startsWith("{\"type\"");
    }
}
