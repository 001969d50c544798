package io.jobpipe.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.runtime.supervisor.JobpipeRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operator's path through the whole system, as the README's "Replaying dead letters" tells it: a job made to
 * fail (the dev pipeline {@code fails-on-demand}) is dead-lettered, found through the ops API, refused to a missing
 * or read-only token, replayed with a patched payload, and completes; its history says who replayed it and why.
 * Another dead letter is cancelled.
 */
@ExtendWith(SharedSystem.class)
class DeadLetterReplayTest {
    private static final String READ_TOKEN = SystemHttp.READ_TOKEN;
    private static final String OPERATE_TOKEN = SystemHttp.OPERATE_TOKEN;
    private static SystemHttp http;

    private static JobpipeRuntime runtime;

    @BeforeAll
    static void useTheSharedSystem() {
        runtime = SharedSystem.get().runtime();
        http = new SystemHttp(runtime.options());
    }

    @Test
    void shouldReplayADeadLetterWithAPatchedPayloadUntilItCompletes() throws Exception {
        String jobId = deadLetteredJob();

        JsonNode list = json(ops("GET", "/ops/dead-letters?stage=act&pipeline=fails-on-demand", READ_TOKEN, null), 200);
        assertThat(list.path("items").findValuesAsText("jobId")).contains(jobId);
        JsonNode shown = json(ops("GET", "/ops/dead-letters/" + jobId, READ_TOKEN, null), 200);
        assertThat(shown.path("errorClass").asText()).isEqualTo("DemoFailure");

        String replay = "{\"reason\":\"e2e: the payload is fixed\",\"replayId\":\"e2e-replay-1\",\"inputPatch\":{\"fail\":false}}";
        assertThat(ops("POST", "/ops/jobs/" + jobId + "/replay", null, replay).statusCode()).isEqualTo(401);
        assertThat(ops("POST", "/ops/jobs/" + jobId + "/replay", READ_TOKEN, replay).statusCode()).isEqualTo(403);
        JsonNode accepted = json(ops("POST", "/ops/jobs/" + jobId + "/replay", OPERATE_TOKEN, replay), 202);
        assertThat(accepted.path("replayId").asText()).isEqualTo("e2e-replay-1");

        JsonNode done = awaitState(jobId, "COMPLETED");
        assertThat(done.path("replays")).hasSize(1);
        JsonNode replayed = done.path("replays").get(0);
        assertThat(replayed.path("replayId").asText()).isEqualTo("e2e-replay-1");
        assertThat(replayed.path("reason").asText()).isEqualTo("e2e: the payload is fixed");
        assertThat(replayed.path("requestedBy").asText()).contains("dev-operate");
        List<String> types = historyTypes(jobId);
        assertThat(types.subList(types.indexOf("JobDeadLettered"), types.size())).containsExactly("JobDeadLettered",
                "JobReplayed", "StageDispatched", "StageCompleted", "StageDispatched", "StageCompleted", "JobCompleted");
    }

    @Test
    void shouldCancelADeadLetterOnceAndRefuseTheSecondCall() throws Exception {
        String jobId = deadLetteredJob();

        JsonNode accepted = json(ops("POST", "/ops/jobs/" + jobId + "/cancel", OPERATE_TOKEN,
                "{\"reason\":\"e2e: the customer withdrew the order\"}"), 202);
        assertThat(accepted.path("jobId").asText()).isEqualTo(jobId);

        JsonNode cancelled = awaitState(jobId, "CANCELLED");
        assertThat(cancelled.path("cancellation").path("reason").asText()).isEqualTo("e2e: the customer withdrew the order");
        assertThat(ops("POST", "/ops/jobs/" + jobId + "/cancel", OPERATE_TOKEN, "{\"reason\":\"again\"}").statusCode())
                .as("a second cancel changes nothing").isEqualTo(409);
        assertThat(historyTypes(jobId)).endsWith("JobDeadLettered", "JobCancelled");
    }

    /**
     * An operator opens a stage's breaker by hand: a new job stops before that stage, HELD with the breaker's reason,
     * no attempt spent; the operator closes it and the job goes on to the end. The other pipeline's stage of the same
     * name is not held.
     */
    @Test
    void shouldHoldJobsAtAStageWhoseBreakerAnOperatorOpenedUntilItIsClosed() throws Exception {
        assertThat(ops("POST", "/ops/breakers/default/act/open", READ_TOKEN, "{\"reason\":\"x\"}").statusCode())
                .isEqualTo(403);
        JsonNode opened = json(ops("POST", "/ops/breakers/default/act/open", OPERATE_TOKEN,
                "{\"reason\":\"e2e: the act agent's dependency is down\"}"), 202);
        assertThat(opened.path("state").asText()).isEqualTo("OPEN");
        assertThat(opened.path("manual").asBoolean()).isTrue();
        // The orchestrator reads the breaker from its global store; a job sent before it did is not held.
        await().atMost(Duration.ofSeconds(30)).until(() -> json(ops("GET", "/ops/breakers/default/act", READ_TOKEN,
                null), 200).path("state").asText().equals("OPEN"));

        String jobId = http.postDemo("push", "{\"action\":\"opened\",\"title\":\"held at act\"}");
        JsonNode held = awaitState(jobId, "HELD");
        assertThat(held.path("held").path("stage").asText()).isEqualTo("act");
        assertThat(held.path("held").path("breaker").asText()).isEqualTo("default/act");
        assertThat(held.path("held").path("reason").asText()).contains("e2e: the act agent's dependency is down");
        String replayedThroughAct = deadLetteredJob();
        json(ops("POST", "/ops/jobs/" + replayedThroughAct + "/replay", OPERATE_TOKEN,
                "{\"reason\":\"e2e: fails-on-demand/act has its own breaker\",\"inputPatch\":{\"fail\":false}}"), 202);
        awaitState(replayedThroughAct, "COMPLETED");

        json(ops("POST", "/ops/breakers/default/act/close", OPERATE_TOKEN, "{\"reason\":\"e2e: it is back\"}"), 202);
        JsonNode done = awaitState(jobId, "COMPLETED");
        assertThat(done.path("held").isNull() || done.path("held").isMissingNode()).isTrue();
        List<String> types = historyTypes(jobId);
        assertThat(types.subList(types.indexOf("JobHeld"), types.size())).startsWith("JobHeld", "JobReleased",
                "StageDispatched", "StageCompleted");
        assertThat(types).endsWith("JobCompleted");
    }

    /** Posts a webhook the dev pipeline 'fails-on-demand' fails at stage act, and waits for its dead letter. */
    private static String deadLetteredJob() throws Exception {
        String jobId = http.postDemo("fail-on-demand", "{\"fail\":true,\"order\":42}");
        JsonNode dead = awaitState(jobId, "DEAD_LETTERED");
        assertThat(dead.path("pipeline").asText()).isEqualTo("fails-on-demand");
        return jobId;
    }

    private static JsonNode awaitState(String jobId, String state) {
        return http.awaitState(jobId, state, Duration.ofSeconds(60));
    }

    /** The job's whole history as SSE delivers it: a replay goes on past the dead letter, to the job's end. */
    private static List<String> historyTypes(String jobId) throws Exception {
        return SseClient.readUntilClosed(http.client(), runtime.options().statusUrl() + "/jobs/" + jobId + "/events", null,
                Duration.ofSeconds(30)).stream().map(SseClient.SseEvent::event).toList();
    }

    private static HttpResponse<String> ops(String method, String path, String token, String body) throws Exception {
        return http.ops(method, path, token, body);
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        return SystemHttp.json(response, status);
    }
}
