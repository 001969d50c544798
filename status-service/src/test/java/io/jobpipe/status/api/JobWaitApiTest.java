package io.jobpipe.status.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.status.store.JobEventProjector;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Read-your-writes: {@code GET /jobs/{id}?waitFor=…&timeout=…} on the real read model and its notifications. */
class JobWaitApiTest {
    private static final Instant T0 = Instant.parse("2025-05-01T09:00:00Z");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static StatusTestApp app;
    private static JobEventProjector projector;

    @BeforeAll
    static void start() {
        app = StatusTestApp.withoutKafka("jobwait", Map.of("jobpipe.status.live.max-waits", 2));
        projector = app.bean(JobEventProjector.class);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static CompletableFuture<HttpResponse<String>> get(String path) {
        return HTTP.sendAsync(HttpRequest.newBuilder(app.uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void project(List<JobEvent> events) {
        projector.project(TestEvents.incoming(events));
    }

    @Test
    void shouldAnswerOnceTheJobReachesTheWantedState() throws Exception {
        List<JobEvent> run = TestEvents.successfulRun("w-done", T0);
        project(run.subList(0, 3));
        long start = System.nanoTime();

        CompletableFuture<HttpResponse<String>> reply = get("/jobs/w-done?waitFor=COMPLETED&timeout=20s");
        Thread.sleep(500);
        assertThat(reply).as("still RUNNING: the answer waits").isNotDone();
        project(run.subList(3, run.size()));

        HttpResponse<String> answer = reply.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Jobpipe-Wait")).hasValue("reached");
        assertThat(Json.MAPPER.readTree(answer.body()).get("state").asText()).isEqualTo("COMPLETED");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void shouldStopWaitingWhenTheJobEndsInAnotherState() throws Exception {
        project(TestEvents.deadLetteredAtEnrich("w-dead", T0));

        HttpResponse<String> answer = get("/jobs/w-dead?waitFor=completed&timeout=30s").get(5, TimeUnit.SECONDS);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Jobpipe-Wait")).hasValue("ended");
        assertThat(Json.MAPPER.readTree(answer.body()).get("state").asText()).isEqualTo("DEAD_LETTERED");
    }

    @Test
    void shouldAnswerTheJobAsItIsWhenTheTimeoutPasses() throws Exception {
        project(TestEvents.successfulRun("w-slow", T0).subList(0, 4));
        long start = System.nanoTime();

        HttpResponse<String> answer = get("/jobs/w-slow?waitFor=COMPLETED,FAILED&timeout=700ms").get(10, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Jobpipe-Wait")).hasValue("timeout");
        assertThat(Json.MAPPER.readTree(answer.body()).get("state").asText()).isEqualTo("RUNNING");
        assertThat(get("/jobs/w-slow?waitFor=RUNNING").get(5, TimeUnit.SECONDS).headers().firstValue("Jobpipe-Wait"))
                .as("already there").hasValue("reached");
    }

    @Test
    void shouldAnswer404ForAJobThatNeverArrivesWithinTheTimeout() throws Exception {
        HttpResponse<String> answer = get("/jobs/w-never?waitFor=COMPLETED&timeout=300ms").get(5, TimeUnit.SECONDS);

        assertThat(answer.statusCode()).isEqualTo(404);
    }

    @Test
    void shouldRefuseABadStateOrTimeoutNamingTheParameter() throws Exception {
        project(TestEvents.successfulRun("w-bad", T0));
        Map<String, String> bad = Map.of("?waitFor=DONE", "waitFor", "?waitFor=COMPLETED&timeout=61s", "timeout",
                "?waitFor=COMPLETED&timeout=soon", "timeout", "?waitFor=COMPLETED&timeout=-1s", "timeout");
        for (Map.Entry<String, String> query : bad.entrySet()) {
            HttpResponse<String> answer = get("/jobs/w-bad" + query.getKey()).get(5, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as(query.getKey()).isEqualTo(400);
            assertThat(Json.MAPPER.readTree(answer.body()).get("parameter").asText()).isEqualTo(query.getValue());
        }
    }

    @Test
    void shouldTurnAwayAWaitBeyondTheCapWith503AndRetryAfter() throws Exception {
        project(TestEvents.successfulRun("w-cap", T0).subList(0, 2));
        List<CompletableFuture<HttpResponse<String>>> waiting = List.of(
                get("/jobs/w-cap?waitFor=COMPLETED&timeout=3s"), get("/jobs/w-cap?waitFor=COMPLETED&timeout=3s"));
        Thread.sleep(500);

        HttpResponse<String> third = get("/jobs/w-cap?waitFor=COMPLETED&timeout=3s").get(5, TimeUnit.SECONDS);

        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(third.headers().firstValue("Retry-After")).isPresent();
        JsonNode problem = Json.MAPPER.readTree(third.body());
        assertThat(problem.get("type").asText()).isEqualTo("urn:jobpipe:problem:waits-full");
        for (CompletableFuture<HttpResponse<String>> wait : waiting) {
            assertThat(wait.get(10, TimeUnit.SECONDS).headers().firstValue("Jobpipe-Wait")).hasValue("timeout");
        }
        assertThat(get("/jobs/w-cap").get(5, TimeUnit.SECONDS).statusCode()).as("a plain read never waits").isEqualTo(200);
    }
}
