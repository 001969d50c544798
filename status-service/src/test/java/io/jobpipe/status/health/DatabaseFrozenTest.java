package io.jobpipe.status.health;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.status.SseClient;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.status.ops.OpsClient;
import io.jobpipe.status.store.JobEventProjector;
import io.jobpipe.testing.PostgresFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10, "when PostgreSQL is slow or gone": every PostgreSQL process frozen (SIGSTOP, a hung server or a network
 * partition as its clients see it). Every read answers within 2 s, readiness is DOWN within 2 s, open SSE streams
 * stay open with their keep-alives, and once the server resumes they deliver again and nothing was lost.
 */
class DatabaseFrozenTest {
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");
    private static final Duration WITHIN = Duration.ofSeconds(2);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static StatusTestApp app;

    @BeforeAll
    static void start() {
        app = StatusTestApp.withoutKafka("dbfrozen", Map.of("jobpipe.ops.tokens", OpsClient.TOKENS,
                "jobpipe.status.live.keep-alive", "300ms", "jobpipe.status.live.reconnect-backoff", "200ms",
                "datasources.default.maximum-pool-size", 4));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** A GET and how long it took to answer. */
    private record Timed(SseClient.Reply reply, Duration took) {
    }

    private static Timed get(String path, String token) throws Exception {
        long start = System.nanoTime();
        SseClient.Reply reply = SseClient.get(app.uri(path), token);
        return new Timed(reply, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Opens a stream (SSE, CSV) and returns its status, its body when it is a problem, and the time to the status.
     */
    private static Timed open(String path, String accept, String token) throws Exception {
        long start = System.nanoTime();
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(path)).header("Accept", accept).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<java.io.InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String contentType = response.headers().firstValue("content-type").orElse("");
        try (java.io.InputStream body = response.body()) {
            String text = response.statusCode() == 200 ? "" : new String(body.readAllBytes());
            return new Timed(new SseClient.Reply(response.statusCode(), contentType, text), took);
        }
    }

    /** The answer came in time and is either the data or a 503 problem that says when to come back. */
    private static void assertAnsweredInTime(Timed timed, String what) throws Exception {
        System.out.printf("frozen database: %s answered %d in %d ms%n", what, timed.reply().status(),
                timed.took().toMillis());
        assertThat(timed.took()).as(what + " answered in " + timed.took().toMillis() + " ms").isLessThan(WITHIN);
        if (timed.reply().status() != 200) {
            assertThat(timed.reply().status()).as(what).isEqualTo(503);
            assertThat(timed.reply().contentType()).isEqualTo("application/problem+json");
            JsonNode problem = Json.MAPPER.readTree(timed.reply().body());
            assertThat(problem.get("type").asText()).isEqualTo("urn:jobpipe:problem:read-model-unavailable");
        }
    }

    @Test
    void shouldAnswerEveryReadInTimeKeepStreamsOpenAndResumeThemWhenTheDatabaseIsBack() throws Exception {
        JobEventProjector projector = app.bean(JobEventProjector.class);
        List<JobEvent> run = TestEvents.successfulRun("frz-1", T0);
        projector.project(TestEvents.incoming(run.subList(0, 3)));
        assertThat(get("/health/readiness", null).reply().status()).isEqualTo(200);

        try (SseClient stream = SseClient.open(app.uri("/jobs/frz-1/events"), Map.of())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> stream.ids().size() == 3);

            int commentsBefore;
            try (PostgresFixture.Frozen frozen = PostgresFixture.shared().freeze()) {
                assertThat(frozen.processes()).isGreaterThan(1);
                for (int round = 0; round < 2; round++) {
                    assertAnsweredInTime(get("/jobs/frz-1", null), "GET /jobs/{id}");
                    assertAnsweredInTime(get("/jobs?limit=5", OpsClient.READ_TOKEN), "GET /jobs");
                    Timed newStream = open("/jobs/frz-1/events", "text/event-stream", null);
                    assertAnsweredInTime(newStream, "a new SSE stream");
                    assertThat(newStream.reply().status()).as("a stream that cannot read its history is refused")
                            .isEqualTo(503);
                    assertAnsweredInTime(get("/ops/dead-letters", OpsClient.READ_TOKEN), "GET /ops/dead-letters");
                    Timed export = open("/exports/jobs.csv", "text/csv", OpsClient.READ_TOKEN);
                    assertAnsweredInTime(export, "a CSV export");
                    assertThat(export.reply().status()).as("no 200 before the cursor is open").isEqualTo(503);
                    Timed readiness = get("/health/readiness", null);
                    assertThat(readiness.took()).as("readiness in " + readiness.took().toMillis() + " ms")
                            .isLessThan(WITHIN);
                    assertThat(readiness.reply().status()).isEqualTo(503);
                    assertThat(readiness.reply().body()).contains("read-model", "DOWN");
                    Timed health = get("/health", null);
                    assertThat(health.took()).isLessThan(WITHIN);
                }
                // At least one read must have been refused, or the database was not frozen at all.
                assertThat(get("/jobs/frz-1", null).reply().status()).isEqualTo(503);
                commentsBefore = stream.comments().size();
                Thread.sleep(1_000);
                assertThat(stream.comments().size()).as("keep-alives go on while the database is frozen")
                        .isGreaterThan(commentsBefore);
                assertThat(stream.ended()).isFalse();
            }

            // Back: the rest of the run is projected, the open stream delivers it and ends with the job.
            projector.project(TestEvents.incoming(run.subList(3, run.size())));
            await().atMost(Duration.ofSeconds(10)).until(stream::ended);
            assertThat(stream.ids()).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> get("/health/readiness", null).reply().status() == 200);
        assertThat(Json.MAPPER.readTree(get("/jobs/frz-1", null).reply().body()).get("state").asText())
                .isEqualTo("COMPLETED");
    }
}
