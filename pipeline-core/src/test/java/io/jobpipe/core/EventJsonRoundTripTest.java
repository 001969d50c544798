package io.jobpipe.core;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.breaker.BreakerState;
import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.event.OpsCommand;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.kafka.JsonSerde;
import io.jobpipe.core.kafka.Topics;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventJsonRoundTripTest {
    private static final Instant T = Instant.parse("2026-11-23T10:15:30.123Z");
    private static final ObjectNode PAYLOAD = JsonNodeFactory.instance.objectNode().put("hello", "world");

    @Test
    void shouldRoundTripEveryJobEventTypeThroughJson() {
        List<JobEvent> events = List.of(
                new JobEvent.JobAccepted("e1", "j", T, 1, "demo", "d-1", "webhook", "r-1", "default", List.of("validate", "notify")),
                new JobEvent.StageDispatched("e2", "j", T, 2, "validate", 0, 1, T.plusSeconds(30)),
                new JobEvent.StageCompleted("e3", "j", T, 3, "validate", 1, T, 12, "valid", PAYLOAD),
                new JobEvent.StageAttemptFailed("e4", "j", T, 4, "notify", 1, T, 40, "HttpError", "503 from hook", true, T.plusMillis(200)),
                new JobEvent.LateResultIgnored("e5", "j", T, 5, "notify", 1, "StageFailed", "attempt 1 already timed out"),
                new JobEvent.JobCompleted("e6", "j", T, 6),
                new JobEvent.JobFailed("e7", "j", T, 7, "validate", "ValidationFailed", "missing: id"),
                new JobEvent.JobDeadLettered("e8", "j", T, 8, "notify", 5, "HttpError", "503", "jobpipe.stage.notify.dlq"),
                new JobEvent.JobReplayed("e9", "j", T, 9, "rp-1", 1, "ops-alice", "hook fixed", "stage=notify", "notify",
                        "act", true, PAYLOAD),
                new JobEvent.ReplayRefused("e10", "j", T, 10, "rp-2", "ops-alice", "again", null,
                        "replayed 3 times, the most allowed: parked", true),
                new JobEvent.JobCancelled("e11", "j", T, 11, "ops-bob", "customer asked", null, "act", 2, "RUNNING"),
                new JobEvent.JobHeld("e12", "j", T, 12, "act", 3, "default/act", "circuit breaker default/act is OPEN"),
                new JobEvent.JobReleased("e13", "j", T, 13, "act", "default/act", true, "probe"),
                new JobEvent.StageProgress("e14", "j", T, 14, "act", 3, "page 3 of 7", T.plusSeconds(30)));
        assertThat(events).<Class<?>>extracting(e -> e.getClass()).as("every type of the sealed interface")
                .containsExactlyInAnyOrder(JobEvent.class.getPermittedSubclasses());
        JsonSerde<JobEvent> serde = new JsonSerde<>(JobEvent.class);

        for (JobEvent event : events) {
            byte[] bytes = serde.toBytes(event);
            assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"type\":\"" + event.getClass().getSimpleName() + "\"");
            assertThat(serde.fromBytes(bytes)).isEqualTo(event);
        }
    }

    @Test
    void shouldCarryAnAttemptsLogAndReadEventsWrittenBeforeTheyHadOne() {
        JsonSerde<JobEvent> serde = new JsonSerde<>(JobEvent.class);
        JobEvent completed = new JobEvent.StageCompleted("e3", "j", T, 3, "parse", 1, T, 12, "ok", PAYLOAD,
                "reading page 1\nreading page 2\n");
        JobEvent failed = new JobEvent.StageAttemptFailed("e4", "j", T, 4, "parse", 2, T, 40, "CommandFailed",
                "exited with 75", true, T.plusSeconds(1), "queue full\n");

        assertThat(serde.fromBytes(serde.toBytes(completed))).isEqualTo(completed);
        assertThat(serde.fromBytes(serde.toBytes(failed))).isEqualTo(failed);
        String before = """
                {"type":"StageAttemptFailed","eventId":"e4","jobId":"j","occurredAt":"2026-11-23T10:15:30.123Z","seq":4,
                 "stage":"parse","attempt":2,"startedAt":"2026-11-23T10:15:30.123Z","durationMs":40,
                 "errorType":"CommandFailed","message":"exited with 75","retryable":true,"nextAttemptAt":null}""";
        assertThat(serde.fromBytes(before.getBytes(StandardCharsets.UTF_8))).isEqualTo(new JobEvent.StageAttemptFailed(
                "e4", "j", T, 4, "parse", 2, T, 40, "CommandFailed", "exited with 75", true, null));
    }

    @Test
    void shouldRoundTripBreakerStatesAndNameTheirBreaker() {
        BreakerState open = new BreakerState(null, "default", "act", BreakerState.Status.OPEN, T,
                "12 of the last 20 attempts failed", BreakerState.ORCHESTRATOR, false);
        JsonSerde<BreakerState> serde = new JsonSerde<>(BreakerState.class);

        assertThat(open.breaker()).isEqualTo("default/act");
        assertThat(serde.fromBytes(serde.toBytes(open))).isEqualTo(open);
        assertThat(open.holdsDispatches()).isTrue();
        assertThatThrownBy(() -> new BreakerState("other/act", "default", "act", BreakerState.Status.CLOSED, T, null,
                "ops", false)).hasMessageContaining("other/act is not default/act");
    }

    @Test
    void shouldRoundTripRequestsAndResults() {
        JsonSerde<JobRequested> requested = new JsonSerde<>(JobRequested.class);
        JobRequested job = new JobRequested("e", "j", T, "demo", null, "webhook", "r", PAYLOAD);
        assertThat(requested.fromBytes(requested.toBytes(job))).isEqualTo(job);

        JsonSerde<StageRequested> stage = new JsonSerde<>(StageRequested.class);
        StageRequested request = new StageRequested("e", "j", T, "default", "act", 4, 2,
                new AgentSpec("builtin", "act", Map.of("dir", "out")), PAYLOAD, T.plusSeconds(30));
        assertThat(stage.fromBytes(stage.toBytes(request))).isEqualTo(request);
        assertThat(request.idempotencyKey()).isEqualTo("j:act");

        JsonSerde<StageResult> results = new JsonSerde<>(StageResult.class);
        List<StageResult> all = List.of(
                new StageResult.StageSucceeded("e", "j", T, "act", 2, T, 5, "wrote 1 file", PAYLOAD),
                new StageResult.StageFailed("e", "j", T, "act", 2, T, 5, "SandboxViolation", "../etc", false),
                new StageResult.StageHeartbeat("e", "j", T, "act", 2, "still parsing"));
        all.forEach(result -> assertThat(results.fromBytes(results.toBytes(result))).isEqualTo(result));
    }

    @Test
    void shouldRoundTripOpsCommands() {
        JsonSerde<OpsCommand> serde = new JsonSerde<>(OpsCommand.class);
        List<OpsCommand> commands = List.of(
                new OpsCommand.ReplayJob("c1", "j", T, "rp-1", "ops-alice", "hook fixed", "stage=notify", "act", PAYLOAD),
                new OpsCommand.ReplayJob("c2", "j", T, "rp-2", "kcat", "by hand", null, null, null),
                new OpsCommand.CancelJob("c3", "j", T, "ops-bob", "customer asked", null));
        for (OpsCommand command : commands) {
            byte[] bytes = serde.toBytes(command);
            assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"type\":\"" + command.getClass().getSimpleName() + "\"");
            assertThat(serde.fromBytes(bytes)).isEqualTo(command);
        }
        assertThat(new JobEvent.JobCancelled("e", "j", T, 1, "a", "r", null, null, 0, "RUNNING").terminal()).isTrue();
        assertThatThrownBy(() -> new OpsCommand.CancelJob("c", "j", T, "ops", " ", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason");
        assertThatThrownBy(() -> new OpsCommand.ReplayJob("c", "j", T, null, "ops", "r", null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replayId");
    }

    @Test
    void shouldTurnBadBytesIntoSerializationException() {
        JsonSerde<StageResult> serde = new JsonSerde<>(StageResult.class);
        assertThatThrownBy(() -> serde.fromBytes("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("StageResult");
        assertThatThrownBy(() -> serde.fromBytes("{\"type\":\"Nope\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldNameStageAndDeadLetterTopicsUnderANamespace() {
        Topics topics = Topics.of("t1.");
        assertThat(topics.stage("act").name()).isEqualTo("t1.jobpipe.stage.act");
        assertThat(topics.deadLetter("act").name()).isEqualTo("t1.jobpipe.stage.act.dlq");
        assertThat(topics.stageOf("t1.jobpipe.stage.act")).isEqualTo("act");
        assertThat(topics.stageOf("t1.jobpipe.stage.act.dlq")).isNull();
        assertThat(topics.stageOf("t1.jobpipe.stage.results")).isNull();
        assertThat(Topics.DEFAULT.jobEvents.name()).isEqualTo("jobpipe.job.events");
        assertThat(topics.allNames(List.of("a"))).containsExactly("t1.jobpipe.jobs.requested", "t1.jobpipe.stage.results",
                "t1.jobpipe.job.events", "t1.jobpipe.ops.commands", "t1.jobpipe.stage.a", "t1.jobpipe.stage.a.dlq",
                "t1.jobpipe.poison");
    }
}
