package io.jobpipe.status.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.OpsCommand;
import io.jobpipe.status.TestEvents;
import io.jobpipe.status.store.JobEventProjector;
import io.jobpipe.testing.PrometheusText;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.jobpipe.status.TestEvents.incoming;
import static io.jobpipe.status.ops.OpsClient.OPERATE_TOKEN;
import static io.jobpipe.status.ops.OpsClient.READ_TOKEN;
import static io.jobpipe.status.ops.OpsClient.json;
import static io.jobpipe.status.ops.OpsClient.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The ops API on a real broker and PostgreSQL: tokens, the dead-letter views, single replays and cancels. */
class OpsApiTest {
    private static final Instant T0 = Instant.parse("2025-05-01T08:00:00Z");
    private static OpsRig rig;
    private static OpsClient ops;
    private static JobEventProjector projector;
    private static CommandTopicReader commands;

    @BeforeAll
    static void start(TestInfo info) {
        rig = OpsRig.start(info, "opsapi", Map.of());
        ops = rig.ops();
        projector = rig.projector();
        commands = rig.commands();
    }

    @AfterAll
    static void stop() {
        rig.close();
    }

    private static String project(List<JobEvent> events) {
        projector.project(incoming(events));
        return events.get(0).jobId();
    }

    private static String unique(String prefix) {
        return prefix + "-" + System.nanoTime();
    }

    @Test
    void shouldAnswer401WithABearerChallengeWithoutAToken() throws Exception {
        HttpResponse<String> reply = ops.get("/ops/dead-letters", null);

        JsonNode problem = problem(reply, 401);
        assertThat(problem.get("type").asText()).isEqualTo("urn:jobpipe:problem:ops-unauthorized");
        assertThat(reply.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
    }

    @Test
    void shouldAnswer401ForAnUnknownToken() throws Exception {
        HttpResponse<String> reply = ops.get("/ops/dead-letters", "not-a-token");

        assertThat(problem(reply, 401).get("detail").asText()).contains("not a known ops token");
        assertThat(reply.headers().firstValue("WWW-Authenticate")).isPresent();
        problem(ops.post("/ops/jobs/job-x/cancel", OPERATE_TOKEN + "x", "{\"reason\":\"r\"}"), 401);
    }

    @Test
    void shouldAnswer403ToAReadTokenOnCommands() throws Exception {
        String jobId = project(OpsJobs.deadLettered(unique("job-403"), T0, "github", "enrich", "HttpError"));

        JsonNode replay = problem(ops.post("/ops/jobs/" + jobId + "/replay", READ_TOKEN, "{\"reason\":\"r\"}"), 403);
        JsonNode cancel = problem(ops.post("/ops/jobs/" + jobId + "/cancel", READ_TOKEN, "{\"reason\":\"r\"}"), 403);

        assertThat(replay.get("type").asText()).isEqualTo("urn:jobpipe:problem:ops-forbidden");
        assertThat(cancel.get("detail").asText()).contains("operate token");
        assertThat(commands.commandsOf(jobId)).isEmpty();
    }

    @Test
    void shouldLeaveThePublicJobReadsOpen() throws Exception {
        String jobId = project(OpsJobs.deadLettered(unique("job-public"), T0, "github", "enrich", "HttpError"));

        assertThat(json(ops.get("/jobs/" + jobId, null), 200).get("state").asText()).isEqualTo("DEAD_LETTERED");
    }

    @Test
    void shouldListDeadLetteredJobsNewestFirstFilteredAndPagedForAReadToken() throws Exception {
        String connection = unique("conn");
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            newestFirst.add(0, project(OpsJobs.deadLettered(unique("job-list-" + i), T0.plusSeconds(60L * i),
                    connection, "enrich", "HttpError")));
        }
        project(OpsJobs.deadLettered(unique("job-other-stage"), T0, connection, "normalize", "Timeout"));
        project(OpsJobs.running(unique("job-running"), T0, connection));

        List<String> seen = new ArrayList<>();
        String next = null;
        do {
            String query = "/ops/dead-letters?limit=2&stage=enrich&connection=" + connection
                    + (next == null ? "" : "&cursor=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
            JsonNode page = json(ops.get(query, READ_TOKEN), 200);
            page.get("items").forEach(item -> seen.add(item.get("jobId").asText()));
            next = page.get("next").isNull() ? null : page.get("next").asText();
        } while (next != null);

        assertThat(seen).containsExactlyElementsOf(newestFirst);
        JsonNode all = json(ops.get("/ops/dead-letters?connection=" + connection, READ_TOKEN), 200);
        assertThat(all.get("items")).hasSize(6);
        JsonNode first = all.get("items").get(0);
        assertThat(first.get("jobId").asText()).isEqualTo(newestFirst.get(0));
        assertThat(first.get("pipeline").asText()).isEqualTo("default");
        assertThat(first.get("connection").asText()).isEqualTo(connection);
        assertThat(first.get("eventType").asText()).isEqualTo("push");
        assertThat(first.get("stage").asText()).isEqualTo("enrich");
        assertThat(first.get("errorClass").asText()).isEqualTo("HttpError");
        assertThat(first.get("errorMessage").asText()).isEqualTo("it broke at enrich");
        assertThat(first.get("attempts").asInt()).isEqualTo(4);
        assertThat(first.get("deadLetteredAt").asText()).isEqualTo(T0.plusSeconds(250).toString());
        assertThat(first.get("replays").asInt()).isZero();
        assertThat(first.get("parked").asBoolean()).isFalse();
        JsonNode timeout = json(ops.get("/ops/dead-letters?errorClass=Timeout&connection=" + connection, READ_TOKEN), 200);
        assertThat(timeout.get("items").findValuesAsText("stage")).containsExactly("normalize");
        JsonNode window = json(ops.get("/ops/dead-letters?stage=enrich&connection=" + connection + "&since="
                + T0.plusSeconds(70) + "&until=" + T0.plusSeconds(190), READ_TOKEN), 200);
        assertThat(window.get("items").findValuesAsText("jobId"))
                .containsExactly(newestFirst.get(2), newestFirst.get(3));
    }

    @Test
    void shouldRejectBadListParameters() throws Exception {
        assertThat(problem(ops.get("/ops/dead-letters?since=yesterday", READ_TOKEN), 400).get("field").asText())
                .isEqualTo("since");
        problem(ops.get("/ops/dead-letters?limit=0", READ_TOKEN), 400);
        problem(ops.get("/ops/dead-letters?cursor=bogus", READ_TOKEN), 400);
    }

    @Test
    void shouldShowADeadLetterWithItsAttemptsHistoryAndReplays() throws Exception {
        String jobId = unique("job-show");
        List<JobEvent> events = new ArrayList<>(TestEvents.deadLetteredAtEnrich(jobId, T0));
        events.add(new JobEvent.ReplayRefused(TestEvents.eid(jobId, 11), jobId, T0.plusSeconds(11), 11, "rpl_x",
                "ops:alice", "again", null, "replayed 3 times, the limit", true));
        project(events);

        JsonNode detail = json(ops.get("/ops/dead-letters/" + jobId, READ_TOKEN), 200);

        assertThat(detail.get("state").asText()).isEqualTo("DEAD_LETTERED");
        assertThat(detail.get("stage").asText()).isEqualTo("enrich");
        assertThat(detail.get("errorClass").asText()).isEqualTo("HttpError");
        assertThat(detail.get("attemptsMade").asInt()).isEqualTo(5);
        assertThat(detail.get("parked").asBoolean()).isTrue();
        assertThat(detail.get("record").isNull()).isTrue();
        assertThat(detail.get("attempts").findValuesAsText("stage")).containsExactly("normalize", "enrich");
        assertThat(detail.get("attempts").get(1).get("errorType").asText()).isEqualTo("HttpError");
        assertThat(detail.get("history")).hasSize(11);
        assertThat(detail.get("history").get(9).get("type").asText()).isEqualTo("JobDeadLettered");
        assertThat(detail.get("history").get(9).get("body").get("attempts").asInt()).isEqualTo(5);
        assertThat(detail.get("refusedReplays").get(0).get("why").asText()).contains("limit");
        assertThat(detail.get("replays")).isEmpty();
    }

    @Test
    void shouldAnswer404ForAJobNeverDeadLettered() throws Exception {
        String running = project(OpsJobs.running(unique("job-never-dl"), T0, "github"));

        assertThat(problem(ops.get("/ops/dead-letters/" + running, READ_TOKEN), 404).get("type").asText())
                .isEqualTo("urn:jobpipe:problem:dead-letter-not-found");
        problem(ops.get("/ops/dead-letters/job-nobody-knows", READ_TOKEN), 404);
    }

    @Test
    void shouldProduceExactlyOneReplayJobForASingleReplay() throws Exception {
        String jobId = project(TestEvents.deadLetteredAtEnrich(unique("job-replay"), T0));

        JsonNode accepted = json(ops.post("/ops/jobs/" + jobId + "/replay", OPERATE_TOKEN,
                "{\"reason\":\"agent fixed\",\"fromStage\":\"normalize\",\"inputPatch\":{\"repo\":\"x\",\"drop\":null}}"),
                202);

        String replayId = accepted.get("replayId").asText();
        assertThat(replayId).startsWith("rpl_");
        assertThat(accepted.get("jobId").asText()).isEqualTo(jobId);
        assertThat(accepted.get("statusUrl").asText()).isEqualTo("/jobs/" + jobId);
        List<OpsCommand> sent = await().atMost(Duration.ofSeconds(10))
                .until(() -> commands.commandsOf(jobId), list -> !list.isEmpty());
        assertThat(commands.commandsOf(jobId)).hasSize(1);
        OpsCommand.ReplayJob replay = (OpsCommand.ReplayJob) sent.get(0);
        assertThat(replay.eventId()).isEqualTo(accepted.get("commandId").asText());
        assertThat(replay.replayId()).isEqualTo(replayId);
        assertThat(replay.requestedBy()).isEqualTo("ops:alice");
        assertThat(replay.reason()).isEqualTo("agent fixed");
        assertThat(replay.filter()).isNull();
        assertThat(replay.fromStage()).isEqualTo("normalize");
        assertThat(replay.inputPatch().get("repo").asText()).isEqualTo("x");
        assertThat(replay.inputPatch().get("drop").isNull()).isTrue();
        PrometheusText metrics = PrometheusText.parse(ops.get("/metrics", null).body());
        assertThat(metrics.value("jobpipe_ops_commands_total", Map.of("type", "ReplayJob", "outcome", "sent")))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void shouldKeepTheCallersReplayId() throws Exception {
        String jobId = project(TestEvents.deadLetteredAtEnrich(unique("job-replay-id"), T0));

        JsonNode accepted = json(ops.post("/ops/jobs/" + jobId + "/replay", OPERATE_TOKEN,
                "{\"reason\":\"retry\",\"replayId\":\"incident-42\"}"), 202);

        assertThat(accepted.get("replayId").asText()).isEqualTo("incident-42");
        OpsCommand.ReplayJob replay = (OpsCommand.ReplayJob) await().atMost(Duration.ofSeconds(10))
                .until(() -> commands.commandsOf(jobId), list -> !list.isEmpty()).get(0);
        assertThat(replay.replayId()).isEqualTo("incident-42");
        assertThat(replay.fromStage()).isNull();
        assertThat(replay.inputPatch()).isNull();
    }

    @Test
    void shouldAnswer409ToAReplayOfAJobThatIsNotDeadLettered() throws Exception {
        String jobId = project(OpsJobs.running(unique("job-running-replay"), T0, "github"));

        JsonNode problem = problem(ops.post("/ops/jobs/" + jobId + "/replay", OPERATE_TOKEN, "{\"reason\":\"r\"}"), 409);

        assertThat(problem.get("state").asText()).isEqualTo("RUNNING");
        assertThat(commands.commandsOf(jobId)).isEmpty();
    }

    @Test
    void shouldAnswer400ToAFromStageAfterTheDeadLetteredStageOrOutsideThePipeline() throws Exception {
        String jobId = project(OpsJobs.deadLettered(unique("job-from"), T0, "github", "normalize", "Timeout"));

        JsonNode after = problem(ops.post("/ops/jobs/" + jobId + "/replay", OPERATE_TOKEN,
                "{\"reason\":\"r\",\"fromStage\":\"enrich\"}"), 400);
        JsonNode unknown = problem(ops.post("/ops/jobs/" + jobId + "/replay", OPERATE_TOKEN,
                "{\"reason\":\"r\",\"fromStage\":\"act\"}"), 400);

        assertThat(after.get("field").asText()).isEqualTo("fromStage");
        assertThat(after.get("detail").asText()).contains("comes after 'normalize'");
        assertThat(unknown.get("detail").asText()).contains("not a stage");
        assertThat(commands.commandsOf(jobId)).isEmpty();
    }

    @Test
    void shouldAnswer400ToBadBodiesAnd404ToUnknownJobs() throws Exception {
        String jobId = project(TestEvents.deadLetteredAtEnrich(unique("job-bad-body"), T0));
        String replay = "/ops/jobs/" + jobId + "/replay";

        assertThat(problem(ops.post(replay, OPERATE_TOKEN, "{}"), 400).get("field").asText()).isEqualTo("reason");
        assertThat(problem(ops.post(replay, OPERATE_TOKEN, "{\"reason\":\"  \"}"), 400).get("field").asText())
                .isEqualTo("reason");
        assertThat(problem(ops.post(replay, OPERATE_TOKEN, "not json"), 400).get("field").asText()).isEqualTo("body");
        assertThat(problem(ops.post(replay, OPERATE_TOKEN, "{\"reason\":\"r\",\"fromstage\":\"x\"}"), 400)
                .get("detail").asText()).contains("unknown field 'fromstage'");
        problem(ops.post(replay, OPERATE_TOKEN, "{\"reason\":\"r\",\"replayId\":\"has space\"}"), 400);
        problem(ops.post("/ops/jobs/job-nobody-knows/replay", OPERATE_TOKEN, "{\"reason\":\"r\"}"), 404);
        problem(ops.post("/ops/jobs/job-nobody-knows/cancel", OPERATE_TOKEN, "{\"reason\":\"r\"}"), 404);
        assertThat(commands.commandsOf(jobId)).isEmpty();
    }

    @Test
    void shouldProduceOneCancelJobForARunningOrDeadLetteredJob() throws Exception {
        String running = project(OpsJobs.running(unique("job-cancel-run"), T0, "github"));
        String dead = project(TestEvents.deadLetteredAtEnrich(unique("job-cancel-dl"), T0));

        JsonNode accepted = json(ops.post("/ops/jobs/" + running + "/cancel", OPERATE_TOKEN,
                "{\"reason\":\"customer asked\"}"), 202);
        json(ops.post("/ops/jobs/" + dead + "/cancel", OPERATE_TOKEN, "{\"reason\":\"give up\"}"), 202);

        assertThat(accepted.has("replayId")).isFalse();
        OpsCommand.CancelJob cancel = (OpsCommand.CancelJob) await().atMost(Duration.ofSeconds(10))
                .until(() -> commands.commandsOf(running), list -> !list.isEmpty()).get(0);
        assertThat(cancel.eventId()).isEqualTo(accepted.get("commandId").asText());
        assertThat(cancel.requestedBy()).isEqualTo("ops:alice");
        assertThat(cancel.reason()).isEqualTo("customer asked");
        assertThat(cancel.filter()).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> commands.commandsOf(dead), list -> list.size() == 1);
    }

    @Test
    void shouldAnswer409ToACancelOfAFinishedJob() throws Exception {
        String completed = project(TestEvents.successfulRun(unique("job-cancel-done"), T0));

        JsonNode problem = problem(ops.post("/ops/jobs/" + completed + "/cancel", OPERATE_TOKEN,
                "{\"reason\":\"r\"}"), 409);

        assertThat(problem.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(problem.get("detail").asText()).contains("change nothing");
        assertThat(commands.commandsOf(completed)).isEmpty();
    }
}
