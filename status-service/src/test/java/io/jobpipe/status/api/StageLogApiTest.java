package io.jobpipe.status.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.status.SseClient;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.status.store.JobEventProjector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.jobpipe.status.TestEvents.PARSED_LOG;
import static io.jobpipe.status.TestEvents.PARSER_TIMEOUT_LOG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An attempt's log, projected into the real read model, on the job's page and in its event stream. */
class StageLogApiTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private static StatusTestApp app;
    private static JobEventProjector projector;

    @BeforeAll
    static void start() {
        app = StatusTestApp.withoutKafka("stagelog", Map.of());
        projector = app.bean(JobEventProjector.class);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static JsonNode stage(String jobId, String name) throws Exception {
        SseClient.Reply reply = SseClient.get(app.uri("/jobs/" + jobId));
        assertThat(reply.status()).isEqualTo(200);
        for (JsonNode stage : Json.MAPPER.readTree(reply.body()).get("stages")) {
            if (stage.get("name").asText().equals(name)) {
                return stage;
            }
        }
        throw new AssertionError("no stage " + name + " in " + reply.body());
    }

    @Test
    void shouldShowEachStagesLatestAttemptLogOnTheJobsPage() throws Exception {
        List<JobEvent> run = TestEvents.loggedRun("job-log-a", T0);

        projector.project(TestEvents.incoming(run.subList(0, 6)));
        JsonNode retrying = stage("job-log-a", "normalize");
        projector.project(TestEvents.incoming(run.subList(6, run.size())));
        JsonNode done = stage("job-log-a", "normalize");

        assertThat(retrying.get("status").asText()).isEqualTo("RUNNING");
        assertThat(retrying.get("log").asText()).isEqualTo(PARSER_TIMEOUT_LOG);
        assertThat(retrying.get("logAttempt").asInt()).isEqualTo(1);
        assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.get("log").asText()).isEqualTo(PARSED_LOG);
        assertThat(done.get("logAttempt").asInt()).isEqualTo(2);
        JsonNode validate = stage("job-log-a", "validate");
        assertThat(validate.path("log").isMissingNode() || validate.get("log").isNull())
                .as("a stage that logged nothing has no log").isTrue();
    }

    @Test
    void shouldSendEveryAttemptsLogInTheJobsEventStream() throws Exception {
        projector.project(TestEvents.incoming(TestEvents.loggedRun("job-log-b", T0)));

        List<JsonNode> data;
        try (SseClient stream = SseClient.open(app.uri("/jobs/job-log-b/events"), Map.of())) {
            await().atMost(Duration.ofSeconds(10)).until(stream::ended);
            data = stream.messages().stream().map(message -> read(message.data())).toList();
        }

        assertThat(data).hasSize(10);
        assertThat(data).filteredOn(event -> event.has("log") && !event.get("log").isNull())
                .extracting(event -> event.get("type").asText() + " " + event.get("attempt").asInt() + ": "
                        + event.get("log").asText())
                .containsExactly("StageAttemptFailed 1: " + PARSER_TIMEOUT_LOG, "StageCompleted 2: " + PARSED_LOG);
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }
}
