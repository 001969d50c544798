package io.jobpipe.status.stats;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.status.SseClient;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.status.ops.OpsClient;
import io.jobpipe.status.store.JobEventProjector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /stats} over the real read model: counts, rates and percentiles per pipeline and stage, per connection. */
class StatsApiTest {
    private static final Instant T0 = Instant.parse("2025-07-01T12:00:00Z");
    private static final String WINDOW = "?window=1h&until=2025-07-01T12:30:00Z";
    private static StatusTestApp app;

    @BeforeAll
    static void start() {
        app = StatusTestApp.withoutKafka("stats", Map.of("jobpipe.ops.tokens", OpsClient.TOKENS));
        List<JobEvent> events = new ArrayList<>();
        events.addAll(TestEvents.successfulRun("st-1", T0));
        events.addAll(TestEvents.successfulRun("st-2", T0.plusSeconds(60)));
        events.addAll(TestEvents.deadLetteredAtEnrich("st-3", T0.plusSeconds(120)));
        events.add(new JobEvent.JobAccepted(TestEvents.eid("st-4", 1), "st-4", T0.plusSeconds(180), 1, "stripe",
                "d-4", "charge.refunded", "r-4", "pr-bot", TestEvents.STAGES));
        events.addAll(TestEvents.successfulRun("st-old", T0.minusSeconds(7200)));
        TestEvents.projectAndWrite(app.bean(JobEventProjector.class), events);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static JsonNode stats(String query) throws Exception {
        SseClient.Reply reply = SseClient.get(app.uri("/stats" + query), OpsClient.READ_TOKEN);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return Json.MAPPER.readTree(reply.body());
    }

    @Test
    void shouldCountRateAndRankThePipelinesJobsInTheWindow() throws Exception {
        JsonNode report = stats(WINDOW);

        assertThat(report.get("window").asText()).isEqualTo("PT1H");
        assertThat(report.get("from").asText()).isEqualTo("2025-07-01T11:30:00Z");
        JsonNode pipeline = report.get("pipelines").get(0);
        assertThat(pipeline.get("pipeline").asText()).isEqualTo("default");
        assertThat(pipeline.get("jobs").asLong()).as("st-old is outside the window").isEqualTo(3);
        assertThat(pipeline.get("states").get("COMPLETED").asLong()).isEqualTo(2);
        assertThat(pipeline.get("states").get("DEAD_LETTERED").asLong()).isEqualTo(1);
        assertThat(pipeline.get("states").get("RUNNING").asLong()).isZero();
        assertThat(pipeline.get("successRate").asDouble()).isEqualTo(0.6667);
        assertThat(pipeline.get("deadLetterRate").asDouble()).isEqualTo(0.3333);
        assertThat(pipeline.get("failureRate").asDouble()).isZero();
        assertThat(pipeline.get("retryRate").asDouble()).as("normalize needed a retry in every job").isEqualTo(1.0);
        assertThat(pipeline.get("durationMs").get("p50").asLong()).isEqualTo(9000);
        assertThat(pipeline.get("durationMs").get("p99").asLong()).isEqualTo(9000);
    }

    @Test
    void shouldGiveEachStageItsAttemptsOutcomesAndDurations() throws Exception {
        JsonNode stages = stats(WINDOW).get("pipelines").get(0).get("stages");

        assertThat(stages).extracting(s -> s.get("stage").asText()).containsExactly("validate", "normalize", "enrich");
        JsonNode normalize = stages.get(1);
        assertThat(normalize.get("runs").asLong()).isEqualTo(3);
        assertThat(normalize.get("attempts").asLong()).isEqualTo(6);
        assertThat(normalize.get("retryRate").asDouble()).isEqualTo(1.0);
        assertThat(normalize.get("successRate").asDouble()).isEqualTo(1.0);
        assertThat(normalize.get("durationMs").get("p50").asLong()).isEqualTo(700);
        JsonNode enrich = stages.get(2);
        assertThat(enrich.get("attempts").asLong()).as("1 + 1 + 5").isEqualTo(7);
        assertThat(enrich.get("deadLettered").asLong()).isEqualTo(1);
        assertThat(enrich.get("deadLetterRate").asDouble()).isEqualTo(0.3333);
        assertThat(enrich.get("retryRate").asDouble()).isEqualTo(0.3333);
        assertThat(enrich.get("durationMs").get("p95").asLong()).as("succeeded runs only").isEqualTo(600);
    }

    @Test
    void shouldSayNothingRatherThanZeroWhereNothingFinished() throws Exception {
        JsonNode prBot = stats(WINDOW).get("pipelines").get(1);

        assertThat(prBot.get("pipeline").asText()).isEqualTo("pr-bot");
        assertThat(prBot.get("states").get("ACCEPTED").asLong()).isEqualTo(1);
        assertThat(prBot.get("successRate").isNull()).isTrue();
        assertThat(prBot.get("durationMs").get("p50").isNull()).isTrue();
        assertThat(prBot.get("stages").get(0).get("runs").asLong()).isZero();
        assertThat(prBot.get("stages").get(0).get("retryRate").isNull()).isTrue();
    }

    @Test
    void shouldCountTheJobsOfEachConnection() throws Exception {
        JsonNode connections = stats(WINDOW).get("connections");

        assertThat(connections).extracting(c -> c.get("connection").asText()).containsExactly("github", "stripe");
        assertThat(connections.get(0).get("jobs").asLong()).isEqualTo(3);
        assertThat(connections.get(0).get("deadLettered").asLong()).isEqualTo(1);
        assertThat(connections.get(1).get("jobs").asLong()).isEqualTo(1);
        assertThat(stats("?window=15m&until=2025-07-01T11:00:00Z").get("pipelines")).as("an empty window").isEmpty();
    }

    @Test
    void shouldRefuseABadWindowAndAskForAToken() throws Exception {
        for (String query : List.of("?window=30s", "?window=8d", "?window=P8D", "?window=soon", "?until=yesterday")) {
            SseClient.Reply reply = SseClient.get(app.uri("/stats" + query), OpsClient.READ_TOKEN);
            assertThat(reply.status()).as(query).isEqualTo(400);
            assertThat(reply.contentType()).isEqualTo("application/problem+json");
        }
        assertThat(SseClient.get(app.uri("/stats")).status()).isEqualTo(401);
    }
}
