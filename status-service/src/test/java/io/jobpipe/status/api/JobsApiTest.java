package io.jobpipe.status.api;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.status.SseClient;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.status.ops.OpsClient;
import io.jobpipe.status.store.JobEventProjector;
import io.jobpipe.support.http.Problem;
import io.jobpipe.support.logging.AccessLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /jobs} keyset paging, and the problem documents of every kind of bad request. */
class JobsApiTest {
    private static final Instant T0 = Instant.parse("2025-02-01T12:00:00Z");
    private static StatusTestApp app;
    /** Newest first, as the API must list them: two jobs share a createdAt, so jobId breaks the tie. */
    private static final List<String> NEWEST_FIRST = List.of("job-e", "job-d2", "job-d1", "job-c", "job-b", "job-a");

    @BeforeAll
    static void start() {
        app = StatusTestApp.withoutKafka("jobsapi", Map.of("LOG_REQUESTS", "true", "jobpipe.ops.tokens", OpsClient.TOKENS));
        JobEventProjector projector = app.bean(JobEventProjector.class);
        List<JobEvent> accepted = List.of(
                TestEvents.accepted("job-a", T0),
                TestEvents.accepted("job-b", T0.plusSeconds(1)),
                TestEvents.accepted("job-c", T0.plusSeconds(2)),
                TestEvents.accepted("job-d1", T0.plusSeconds(3)),
                TestEvents.accepted("job-d2", T0.plusSeconds(3)),
                TestEvents.accepted("job-e", T0.plusSeconds(4)));
        TestEvents.projectAndWrite(projector, accepted);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void shouldListJobsNewestFirstAcrossPagesWithoutGapsOrRepeats() throws Exception {
        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String next = null;
        do {
            String query = "/jobs?limit=4" + (next == null ? "" : "&before=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
            JsonNode page = json(SseClient.get(app.uri(query), OpsClient.READ_TOKEN), 200);
            page.get("items").forEach(item -> seen.add(item.get("jobId").asText()));
            pageSizes.add(page.get("items").size());
            next = page.get("next").isNull() ? null : page.get("next").asText();
        } while (next != null);

        assertThat(seen).containsExactlyElementsOf(NEWEST_FIRST);
        assertThat(pageSizes).containsExactly(4, 2);
    }

    @Test
    void shouldWriteAnAccessLineWithTheRequestAndJobIdsButNoneForHealthProbes() throws Exception {
        Logger accessLog = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        accessLog.addAppender(lines);
        HttpResponse<String> job;
        try {
            HttpClient client = HttpClient.newHttpClient();
            job = client.send(HttpRequest.newBuilder(app.uri("/jobs/job-a")).header("X-Request-Id", "req-status-1")
                    .build(), HttpResponse.BodyHandlers.ofString());
            client.send(HttpRequest.newBuilder(app.uri("/health")).header("X-Request-Id", "req-status-2").build(),
                    HttpResponse.BodyHandlers.ofString());
            client.send(HttpRequest.newBuilder(app.uri("/jobs?limit=1")).header("X-Request-Id", "req-status-3")
                            .header("Authorization", "Bearer " + OpsClient.READ_TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(5)).until(() -> lines.list.stream()
                    .anyMatch(e -> "req-status-3".equals(e.getMDCPropertyMap().get("requestId"))));
        } finally {
            accessLog.detachAppender(lines);
        }

        assertThat(job.headers().firstValue("X-Request-Id")).contains("req-status-1");
        assertThat(lines.list).extracting(e -> e.getMDCPropertyMap().get("requestId"))
                .containsExactly("req-status-1", "req-status-3");
        assertThat(lines.list.get(0).getFormattedMessage()).startsWith("method=GET path=/jobs/job-a status=200 durationMs=");
        assertThat(lines.list.get(0).getMDCPropertyMap()).containsEntry("jobId", "job-a");
    }

    @Test
    void shouldEndWithANullCursorWhenEverythingFitsOnOnePage() throws Exception {
        JsonNode page = json(SseClient.get(app.uri("/jobs"), OpsClient.READ_TOKEN), 200);

        assertThat(page.get("items")).hasSize(6);
        assertThat(page.has("next")).isTrue();
        assertThat(page.get("next").isNull()).isTrue();
        JsonNode first = page.get("items").get(0);
        assertThat(first.get("jobId").asText()).isEqualTo("job-e");
        assertThat(first.get("state").asText()).isEqualTo("ACCEPTED");
        assertThat(first.get("connection").asText()).isEqualTo("github");
        assertThat(first.get("eventType").asText()).isEqualTo("push");
        assertThat(first.get("pipeline").asText()).isEqualTo("default");
        assertThat(first.get("currentStage").isNull()).isTrue();
        assertThat(first.get("createdAt").asText()).isEqualTo("2025-02-01T12:00:04Z");
        assertThat(first.get("updatedAt").asText()).isEqualTo("2025-02-01T12:00:04Z");
    }

    @Test
    void shouldPageExactlyAtTheLimit() throws Exception {
        JsonNode page = json(SseClient.get(app.uri("/jobs?limit=6"), OpsClient.READ_TOKEN), 200);

        assertThat(page.get("items")).hasSize(6);
        assertThat(page.get("next").isNull()).isTrue();
    }

    @Test
    void shouldRejectALimitOutside1To200() throws Exception {
        for (String limit : List.of("0", "201", "-3", "abc", "2.5")) {
            JsonNode problem = problem(SseClient.get(app.uri("/jobs?limit=" + limit), OpsClient.READ_TOKEN), 400);
            assertThat(problem.get("type").asText()).isEqualTo("urn:jobpipe:problem:invalid-parameter");
            assertThat(problem.get("parameter").asText()).isEqualTo("limit");
            assertThat(problem.get("detail").asText()).contains("1 to 200");
        }
        json(SseClient.get(app.uri("/jobs?limit=200"), OpsClient.READ_TOKEN), 200);
        json(SseClient.get(app.uri("/jobs?limit=1"), OpsClient.READ_TOKEN), 200);
    }

    @Test
    void shouldRejectACursorItDidNotIssue() throws Exception {
        JsonNode problem = problem(SseClient.get(app.uri("/jobs?before=bogus"), OpsClient.READ_TOKEN), 400);

        assertThat(problem.get("parameter").asText()).isEqualTo("before");
    }

    @Test
    void shouldAnswerAnUnknownJobWith404Problem() throws Exception {
        JsonNode problem = problem(SseClient.get(app.uri("/jobs/job-unknown")), 404);

        assertThat(problem.get("type").asText()).isEqualTo("urn:jobpipe:problem:job-not-found");
        assertThat(problem.get("title").asText()).isEqualTo("Job not found");
        assertThat(problem.get("jobId").asText()).isEqualTo("job-unknown");
        assertThat(problem.get("instance").asText()).isEqualTo("/jobs/job-unknown");
    }

    @Test
    void shouldAnswerUnknownRoutesAndMethodsWithProblems() throws Exception {
        JsonNode notFound = problem(SseClient.get(app.uri("/no-such-thing")), 404);
        assertThat(notFound.get("type").asText()).isEqualTo("about:blank");

        HttpResponse<String> delete = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(app.uri("/jobs/job-a")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("content-type").orElse("")).startsWith(Problem.MEDIA_TYPE);
        assertThat(delete.body()).doesNotContain("Exception");
    }

    @Test
    void shouldReportHealth() throws Exception {
        SseClient.Reply reply = SseClient.get(app.uri("/health"));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode health = Json.MAPPER.readTree(reply.body());
        assertThat(health.get("status").asText()).isEqualTo("UP");
        JsonNode details = health.at("/details/jobpipe-status/details");
        assertThat(details.get("projection").asText()).isEqualTo("disabled");
        assertThat(details.get("liveNotifications").asText()).isEqualTo("listening");
    }

    private static JsonNode json(SseClient.Reply reply, int status) throws Exception {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/json");
        return Json.MAPPER.readTree(reply.body());
    }

    private static JsonNode problem(SseClient.Reply reply, int status) throws Exception {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith(Problem.MEDIA_TYPE);
        JsonNode problem = Json.MAPPER.readTree(reply.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        return problem;
    }
}
