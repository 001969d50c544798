package io.jobpipe.status.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.OpsCommand;
import io.jobpipe.status.TestEvents;
import io.jobpipe.status.store.JobEventProjector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.jobpipe.status.ops.OpsClient.OPERATE_TOKEN;
import static io.jobpipe.status.ops.OpsClient.READ_TOKEN;
import static io.jobpipe.status.ops.OpsClient.json;
import static io.jobpipe.status.ops.OpsClient.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Bulk replays and cancels on a real broker and PostgreSQL: dry runs, pacing, one command per job, the operation. */
class BulkOpsTest {
    private static final Instant T0 = Instant.parse("2025-07-01T08:00:00Z");
    private static OpsRig rig;
    private static OpsClient ops;
    private static JobEventProjector projector;
    private static CommandTopicReader commands;

    @BeforeAll
    static void start(TestInfo info) {
        rig = OpsRig.start(info, "bulkops", Map.of("jobpipe.ops.progress-every", 2));
        ops = rig.ops();
        projector = rig.projector();
        commands = rig.commands();
    }

    @AfterAll
    static void stop() {
        rig.close();
    }

    /** {@code count} jobs dead-lettered at enrich on a connection of their own, plus distractors on it. */
    private static List<String> deadLetteredAtEnrich(String connection, int count) {
        List<String> jobIds = new ArrayList<>();
        List<JobEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String jobId = connection + "-job-" + i;
            jobIds.add(jobId);
            events.addAll(OpsJobs.deadLettered(jobId, T0.plusSeconds(i), connection, "enrich", "HttpError"));
        }
        events.addAll(OpsJobs.deadLettered(connection + "-other", T0, connection, "normalize", "Timeout"));
        events.addAll(OpsJobs.running(connection + "-running", T0, connection));
        TestEvents.projectAndWrite(projector, events);
        return jobIds;
    }

    /** Makes {@code sent} the commands for {@code jobIds} read so far; returns how many there are. */
    private static int collect(List<OpsCommand> sent, List<String> jobIds) {
        List<OpsCommand> all = commandsOf(Set.copyOf(jobIds));
        sent.clear();
        sent.addAll(all);
        return sent.size();
    }

    private static List<OpsCommand> commandsOf(Set<String> jobIds) {
        return commands.poll().stream().filter(r -> jobIds.contains(r.key())).map(ConsumerRecord::value).toList();
    }

    @Test
    void shouldCountAndSampleADryRunAndSendNothing() throws Exception {
        String connection = "dry-" + System.nanoTime();
        List<String> jobIds = deadLetteredAtEnrich(connection, 12);

        JsonNode dry = json(ops.post("/ops/dead-letters/replay", OPERATE_TOKEN, """
                {"filter": {"stage": "enrich", "connection": "%s"}, "reason": "check", "dryRun": true}"""
                .formatted(connection)), 200);

        assertThat(dry.get("matched").asInt()).isEqualTo(12);
        assertThat(dry.get("sample")).hasSize(10);
        assertThat(dry.get("sample").get(0).get("jobId").asText()).isEqualTo(jobIds.get(11));
        assertThat(dry.get("sample").get(0).get("errorClass").asText()).isEqualTo("HttpError");
        commands.poll();
        assertThat(commandsOf(Set.copyOf(jobIds))).isEmpty();
    }

    @Test
    void shouldReplayEveryMatchedJobOnceWithOneReplayIdAndEndDone() throws Exception {
        String connection = "bulk-" + System.nanoTime();
        Set<String> jobIds = Set.copyOf(deadLetteredAtEnrich(connection, 5));

        JsonNode accepted = json(ops.post("/ops/dead-letters/replay", OPERATE_TOKEN, """
                {"filter": {"stage": "enrich", "connection": "%s"}, "reason": "agent back", "fromStage": "normalize",
                 "ratePerSecond": 50}""".formatted(connection)), 202);

        assertThat(accepted.get("matched").asInt()).isEqualTo(5);
        String replayId = accepted.get("replayId").asText();
        assertThat(replayId).startsWith("rpl_");
        String statusUrl = accepted.get("statusUrl").asText();
        assertThat(statusUrl).isEqualTo("/ops/operations/" + accepted.get("operationId").asText());
        JsonNode operation = await().atMost(Duration.ofSeconds(20)).until(() -> json(ops.get(statusUrl, READ_TOKEN), 200),
                op -> !op.get("state").asText().equals("running"));
        assertThat(operation.get("state").asText()).isEqualTo("done");
        assertThat(operation.get("kind").asText()).isEqualTo("replay");
        assertThat(operation.get("matched").asInt()).isEqualTo(5);
        assertThat(operation.get("sent").asInt()).isEqualTo(5);
        assertThat(operation.get("failed").asInt()).isZero();
        assertThat(operation.get("replayId").asText()).isEqualTo(replayId);
        assertThat(operation.get("requestedBy").asText()).isEqualTo("ops:alice");
        assertThat(operation.get("filter").asText()).isEqualTo("stage=enrich&connection=" + connection);
        assertThat(operation.get("finishedAt").isNull()).isFalse();
        List<OpsCommand> sent = await().atMost(Duration.ofSeconds(10))
                .until(() -> commandsOf(jobIds), list -> list.size() >= 5);
        assertThat(sent).hasSize(5);
        assertThat(sent.stream().map(OpsCommand::jobId).collect(Collectors.toSet())).isEqualTo(jobIds);
        assertThat(sent).allSatisfy(command -> {
            OpsCommand.ReplayJob replay = (OpsCommand.ReplayJob) command;
            assertThat(replay.replayId()).isEqualTo(replayId);
            assertThat(replay.filter()).isEqualTo("stage=enrich&connection=" + connection);
            assertThat(replay.fromStage()).isEqualTo("normalize");
            assertThat(replay.reason()).isEqualTo("agent back");
        });
    }

    @Test
    void shouldKeepAtMostMaxRunningReplayedJobsUnfinishedSoLiveTrafficIsNotQueuedBehindTheReplay() throws Exception {
        String connection = "window-" + System.nanoTime();
        List<String> jobIds = deadLetteredAtEnrich(connection, 4);
        List<OpsCommand> sent = new ArrayList<>();

        json(ops.post("/ops/dead-letters/replay", OPERATE_TOKEN, """
                {"filter": {"stage": "enrich", "connection": "%s"}, "reason": "in a window", "ratePerSecond": 100,
                 "maxRunning": 2}""".formatted(connection)), 202);

        await().atMost(Duration.ofSeconds(20)).until(() -> collect(sent, jobIds) >= 2);
        Thread.sleep(1_000);
        collect(sent, jobIds);
        assertThat(sent).as("two replayed jobs still running: no third command").hasSize(2);

        // The first replayed job completes (its JobReplayed and JobCompleted come after its dead letter, seq 3).
        String finished = sent.get(0).jobId();
        TestEvents.projectAndWrite(projector, List.of(TestEvents.replayed(finished, T0, 4, "enrich"),
                new JobEvent.JobCompleted(TestEvents.eid(finished, 5), finished, T0.plusSeconds(60), 5)));
        await().atMost(Duration.ofSeconds(20)).until(() -> collect(sent, jobIds) >= 3);
        Thread.sleep(1_000);
        collect(sent, jobIds);
        assertThat(sent).hasSize(3);

        // A replay the orchestrator refused settles too: the job rests DEAD_LETTERED at a later seq.
        String refused = sent.get(1).jobId();
        TestEvents.projectAndWrite(projector, List.of(new JobEvent.ReplayRefused(TestEvents.eid(refused, 4), refused,
                T0.plusSeconds(60), 4, "r", "ops:test", "in a window", null, "parked", true)));
        await().atMost(Duration.ofSeconds(20)).until(() -> collect(sent, jobIds) >= 4);
        assertThat(sent.stream().map(OpsCommand::jobId)).containsExactlyInAnyOrderElementsOf(jobIds);
    }

    @Test
    void shouldPaceTheCommandsToTheRateAsked() throws Exception {
        String connection = "paced-" + System.nanoTime();
        Set<String> jobIds = Set.copyOf(deadLetteredAtEnrich(connection, 5));

        json(ops.post("/ops/dead-letters/replay", OPERATE_TOKEN, """
                {"filter": {"stage": "enrich", "connection": "%s"}, "reason": "slowly", "ratePerSecond": 4}"""
                .formatted(connection)), 202);

        List<ConsumerRecord<String, OpsCommand>> sent = await().atMost(Duration.ofSeconds(20)).until(
                () -> commands.poll().stream().filter(r -> jobIds.contains(r.key())).toList(), list -> list.size() >= 5);
        long first = sent.stream().mapToLong(ConsumerRecord::timestamp).min().orElseThrow();
        long last = sent.stream().mapToLong(ConsumerRecord::timestamp).max().orElseThrow();
        // Five commands at 4 a second: the fifth leaves a second after the first at the earliest.
        assertThat(last - first).isGreaterThanOrEqualTo(900);
    }

    @Test
    void shouldCancelNamedJobsThatAreStillCancellableAndSkipTheOthers() throws Exception {
        String connection = "cancel-" + System.nanoTime();
        List<String> dead = deadLetteredAtEnrich(connection, 2);
        String completed = connection + "-done";
        TestEvents.projectAndWrite(projector, TestEvents.successfulRun(completed, T0));
        String running = connection + "-running";

        JsonNode accepted = json(ops.post("/ops/jobs/cancel", OPERATE_TOKEN, """
                {"jobIds": ["%s", "%s", "%s", "%s", "no-such-job"], "reason": "clean up"}"""
                .formatted(dead.get(0), dead.get(1), completed, running)), 202);

        assertThat(accepted.get("matched").asInt()).isEqualTo(3);
        assertThat(accepted.has("replayId")).isFalse();
        JsonNode operation = await().atMost(Duration.ofSeconds(20)).until(
                () -> json(ops.get(accepted.get("statusUrl").asText(), READ_TOKEN), 200),
                op -> op.get("state").asText().equals("done"));
        assertThat(operation.get("kind").asText()).isEqualTo("cancel");
        assertThat(operation.get("sent").asInt()).isEqualTo(3);
        Set<String> all = Set.of(dead.get(0), dead.get(1), completed, running);
        List<OpsCommand> sent = await().atMost(Duration.ofSeconds(10))
                .until(() -> commandsOf(all), list -> list.size() >= 3);
        assertThat(sent).hasSize(3).allMatch(OpsCommand.CancelJob.class::isInstance);
        assertThat(sent.stream().map(OpsCommand::jobId)).containsExactlyInAnyOrder(dead.get(0), dead.get(1), running);
    }

    @Test
    void shouldCancelByFilterOnlyTheStatesAsked() throws Exception {
        String connection = "cancel-state-" + System.nanoTime();
        deadLetteredAtEnrich(connection, 2);

        JsonNode dry = json(ops.post("/ops/jobs/cancel", OPERATE_TOKEN, """
                {"filter": {"connection": "%s", "state": "RUNNING"}, "reason": "r", "dryRun": true}"""
                .formatted(connection)), 200);
        JsonNode both = json(ops.post("/ops/jobs/cancel", OPERATE_TOKEN, """
                {"filter": {"connection": "%s"}, "reason": "r", "dryRun": true}""".formatted(connection)), 200);

        assertThat(dry.get("matched").asInt()).isEqualTo(1);
        assertThat(dry.get("sample").get(0).get("state").asText()).isEqualTo("RUNNING");
        assertThat(both.get("matched").asInt()).isEqualTo(4);
    }

    @Test
    void shouldRejectBadBulkRequests() throws Exception {
        String path = "/ops/dead-letters/replay";

        assertThat(problem(ops.post(path, OPERATE_TOKEN, "{\"reason\":\"r\"}"), 400).get("detail").asText())
                .contains("neither");
        assertThat(problem(ops.post(path, OPERATE_TOKEN, "{\"reason\":\"r\",\"filter\":{},\"jobIds\":[\"a\"]}"), 400)
                .get("detail").asText()).contains("both");
        assertThat(problem(ops.post(path, OPERATE_TOKEN, "{\"reason\":\"r\",\"filter\":{},\"ratePerSecond\":0}"), 400)
                .get("field").asText()).isEqualTo("ratePerSecond");
        problem(ops.post(path, OPERATE_TOKEN, "{\"reason\":\"r\",\"filter\":{},\"ratePerSecond\":1001}"), 400);
        problem(ops.post(path, OPERATE_TOKEN, "{\"reason\":\"r\",\"filter\":{},\"fromStage\":\"nope\"}"), 400);
        problem(ops.post(path, OPERATE_TOKEN, "{\"reason\":\"r\",\"filter\":{\"since\":\"today\"}}"), 400);
        problem(ops.post(path, OPERATE_TOKEN, "{\"reason\":\"r\",\"filter\":{\"state\":\"RUNNING\"}}"), 400);
        problem(ops.post("/ops/jobs/cancel", OPERATE_TOKEN, "{\"reason\":\"r\",\"filter\":{\"state\":\"COMPLETED\"}}"),
                400);
        problem(ops.post(path, OPERATE_TOKEN, "{\"filter\":{}}"), 400);
        problem(ops.post(path, READ_TOKEN, "{\"reason\":\"r\",\"filter\":{}}"), 403);
        problem(ops.get("/ops/operations/op_unknown", READ_TOKEN), 404);
    }
}
