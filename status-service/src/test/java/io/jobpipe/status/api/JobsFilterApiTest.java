package io.jobpipe.status.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.jobpipe.status.TestEvents.eid;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /jobs} filters and subject search on the real read model (embedded PostgreSQL), paging under a filter,
 * and the token listing needs.
 */
class JobsFilterApiTest {
    private static final Instant T0 = Instant.parse("2025-04-01T08:00:00Z");
    private static StatusTestApp app;

    @BeforeAll
    static void start() {
        app = StatusTestApp.withoutKafka("jobsfilter", Map.of("jobpipe.ops.tokens", OpsClient.TOKENS));
        List<JobEvent> events = new ArrayList<>();
        events.addAll(job("f-done", "default", "github", 0, "Fix login redirect on Safari",
                j -> new JobEvent.JobCompleted(eid(j, 4), j, T0.plusSeconds(10), 4)));
        events.addAll(job("f-dead", "default", "stripe", 60, "Refund charge ch_123",
                j -> new JobEvent.JobDeadLettered(eid(j, 4), j, T0.plusSeconds(70), 4, "enrich", 5, "HttpError",
                        "503 from agent", "jobpipe.stage.enrich.dlq")));
        events.addAll(job("f-failed", "pr-bot", "github", 120, null,
                j -> new JobEvent.JobFailed(eid(j, 4), j, T0.plusSeconds(130), 4, "validate", "SchemaError",
                        "no repository")));
        events.addAll(job("f-cancelled", "pr-bot", "github", 180, "Login page redesign",
                j -> new JobEvent.JobCancelled(eid(j, 4), j, T0.plusSeconds(190), 4, "ops:alice", "duplicate", null,
                        "enrich", 1, "RUNNING")));
        for (int i = 0; i < 5; i++) {
            events.addAll(job("f-run-" + i, "pr-bot", "github", 240 + 60 * i, "LOGIN flaky test " + i,
                    j -> new JobEvent.StageDispatched(eid(j, 4), j, T0.plusSeconds(400), 4, "enrich", 2, 1,
                            T0.plusSeconds(430))));
        }
        TestEvents.projectAndWrite(app.bean(JobEventProjector.class), events);
    }

    /** Accepted at T0 + {@code offset} s, normalize succeeded with {@code subject} (none when null), then {@code last}. */
    private static List<JobEvent> job(String jobId, String pipeline, String connection, int offset, String subject,
                                      java.util.function.Function<String, JobEvent> last) {
        Instant t = T0.plusSeconds(offset);
        return List.of(
                new JobEvent.JobAccepted(eid(jobId, 1), jobId, t, 1, connection, "d-" + jobId, "push", "r-" + jobId,
                        pipeline, TestEvents.STAGES),
                new JobEvent.StageDispatched(eid(jobId, 2), jobId, t, 2, "normalize", 1, 1, t.plusSeconds(30)),
                new JobEvent.StageCompleted(eid(jobId, 3), jobId, t, 3, "normalize", 1, t, 5, "normalized",
                        subject == null ? null : JsonNodeFactory.instance.objectNode().put("subject", subject)),
                last.apply(jobId));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static List<String> ids(String query) throws Exception {
        return ids(SseClient.get(app.uri("/jobs" + query), OpsClient.READ_TOKEN));
    }

    private static List<String> ids(SseClient.Reply reply) throws Exception {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode page = Json.MAPPER.readTree(reply.body());
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("jobId").asText()));
        return ids;
    }

    private static JsonNode page(String query) throws Exception {
        SseClient.Reply reply = SseClient.get(app.uri("/jobs" + query), OpsClient.READ_TOKEN);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return Json.MAPPER.readTree(reply.body());
    }

    private static String q(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Test
    void shouldFilterByEachField() throws Exception {
        assertThat(ids("?state=COMPLETED")).containsExactly("f-done");
        assertThat(ids("?state=failed,dead_lettered")).containsExactly("f-failed", "f-dead");
        assertThat(ids("?connection=stripe")).containsExactly("f-dead");
        assertThat(ids("?pipeline=default")).containsExactly("f-dead", "f-done");
        assertThat(ids("?stage=validate")).containsExactly("f-failed");
        assertThat(ids("?errorClass=HttpError")).containsExactly("f-dead");
        assertThat(ids("?errorClass=Cancelled")).containsExactly("f-cancelled");
        assertThat(ids("?since=" + q(T0.plusSeconds(60).toString()) + "&until=" + q(T0.plusSeconds(180).toString())))
                .containsExactly("f-failed", "f-dead");
        assertThat(ids("?pipeline=pr-bot&state=RUNNING&stage=enrich&limit=200")).hasSize(5);
        assertThat(ids("?pipeline=nope")).isEmpty();
    }

    @Test
    void shouldSearchTheSubjectByWordsAndPrefixesInAnyCase() throws Exception {
        assertThat(ids("?q=login")).containsExactly("f-run-4", "f-run-3", "f-run-2", "f-run-1", "f-run-0",
                "f-cancelled", "f-done");
        assertThat(ids("?q=" + q("log SAF"))).containsExactly("f-done");
        assertThat(ids("?q=" + q("ch_123"))).as("ch and 123 are both words of the subject").containsExactly("f-dead");
        assertThat(ids("?q=" + q("login & !redirect | (x"))).as("operators are only separators").isEmpty();
        assertThat(ids("?q=login&pipeline=pr-bot&state=CANCELLED")).containsExactly("f-cancelled");

        JsonNode item = page("?q=safari").get("items").get(0);
        assertThat(item.get("subject").asText()).isEqualTo("Fix login redirect on Safari");
        assertThat(page("?state=DEAD_LETTERED").get("items").get(0).get("errorClass").asText()).isEqualTo("HttpError");
    }

    @Test
    void shouldPageUnderAFilterWithoutGapsOrRepeats() throws Exception {
        List<String> seen = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = page("?q=login&limit=3" + (next == null ? "" : "&before=" + q(next)));
            page.get("items").forEach(item -> seen.add(item.get("jobId").asText()));
            next = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (next != null);

        assertThat(seen).containsExactly("f-run-4", "f-run-3", "f-run-2", "f-run-1", "f-run-0", "f-cancelled", "f-done");
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void shouldRefuseABadFilterNamingTheParameter() throws Exception {
        Map<String, String> bad = Map.of(
                "?state=SLEEPING", "state",
                "?since=yesterday", "since",
                "?since=2025-04-02T00:00:00Z&until=2025-04-01T00:00:00Z", "until",
                "?q=" + "w%20".repeat(17), "q",
                "?q=" + "x".repeat(201), "q",
                "?pipeline=" + "p".repeat(201), "pipeline");
        for (Map.Entry<String, String> query : bad.entrySet()) {
            SseClient.Reply reply = SseClient.get(app.uri("/jobs" + query.getKey()), OpsClient.READ_TOKEN);
            assertThat(reply.status()).as(query.getKey()).isEqualTo(400);
            assertThat(reply.contentType()).isEqualTo("application/problem+json");
            assertThat(Json.MAPPER.readTree(reply.body()).get("parameter").asText()).isEqualTo(query.getValue());
        }
    }

    @Test
    void shouldAskForATokenToListButNotToReadOneJob() throws Exception {
        SseClient.Reply anonymous = SseClient.get(app.uri("/jobs?q=login"));
        SseClient.Reply unknown = SseClient.get(app.uri("/jobs"), "not-a-token");
        SseClient.Reply operate = SseClient.get(app.uri("/jobs"), OpsClient.OPERATE_TOKEN);

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).isEqualTo("application/problem+json");
        assertThat(anonymous.body()).contains("Listing, searching, stats, exports and the event firehose needs a token");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(operate.status()).isEqualTo(200);
        assertThat(SseClient.get(app.uri("/jobs/f-done")).status()).isEqualTo(200);
    }

    @Test
    void shouldListWithoutATokenWhereListingIsOpen() throws Exception {
        try (StatusTestApp open = StatusTestApp.withoutKafka("jobsfilter",
                Map.of("jobpipe.access.listing", "open", "jobpipe.access.job-by-id", "token",
                        "jobpipe.ops.tokens", OpsClient.TOKENS))) {
            TestEvents.projectAndWrite(open.bean(JobEventProjector.class), job("f-open", "default", "github", 0,
                    "open login", j -> new JobEvent.JobCompleted(eid(j, 4), j, T0.plusSeconds(10), 4)));
            assertThat(ids(SseClient.get(open.uri("/jobs?q=login")))).containsExactly("f-open");
            assertThat(SseClient.get(open.uri("/jobs/f-open")).status()).isEqualTo(401);
            assertThat(SseClient.get(open.uri("/jobs/f-open"), OpsClient.READ_TOKEN).status()).isEqualTo(200);
        }
    }
}
