package io.jobpipe.status.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.status.SseClient;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.jobpipe.status.TestEvents.incoming;
import static org.assertj.core.api.Assertions.assertThat;

/** Replays, refused replays and cancellations through the projector into PostgreSQL and out of GET /jobs/{id}. */
class OpsEventProjectionTest {
    private static final Instant T0 = Instant.parse("2025-03-02T10:00:00Z");
    private static StatusTestApp app;
    private static JobEventProjector projector;

    @BeforeAll
    static void start() {
        app = StatusTestApp.withoutKafka("opsprojection", Map.of());
        projector = app.bean(JobEventProjector.class);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void shouldShowAReplayedJobRunningAgainWithItsReplaysAndRefusals() throws Exception {
        String jobId = "job-replayed-" + System.nanoTime();
        List<JobEvent> events = new ArrayList<>(TestEvents.deadLetteredAtEnrich(jobId, T0));
        events.add(new JobEvent.ReplayRefused(TestEvents.eid(jobId, 11), jobId, T0.plusSeconds(11), 11, "rpl_a",
                "ops:alice", "too early", null, "stage 'act' is not in the job's pipeline", false));
        events.add(TestEvents.replayed(jobId, T0, 12, "normalize"));
        projector.project(incoming(events));

        JsonNode job = document(jobId);

        assertThat(job.get("state").asText()).isEqualTo("RUNNING");
        assertThat(job.get("finishedAt").isNull()).isTrue();
        assertThat(job.get("error").isNull()).isTrue();
        assertThat(job.get("stages").findValuesAsText("status")).containsExactly("SUCCEEDED", "PENDING", "PENDING");
        assertThat(job.get("replays")).hasSize(1);
        JsonNode replay = job.get("replays").get(0);
        assertThat(replay.get("replayId").asText()).isEqualTo("rpl_1");
        assertThat(replay.get("replayNumber").asInt()).isEqualTo(1);
        assertThat(replay.get("requestedBy").asText()).isEqualTo("ops:alice");
        assertThat(replay.get("reason").asText()).isEqualTo("agent fixed");
        assertThat(replay.get("fromStage").asText()).isEqualTo("normalize");
        assertThat(replay.get("inputPatched").asBoolean()).isTrue();
        assertThat(replay.get("at").asText()).isEqualTo(T0.plusSeconds(12).toString());
        JsonNode refused = job.get("refusedReplays").get(0);
        assertThat(refused.get("why").asText()).contains("not in the job's pipeline");
        assertThat(refused.get("parked").asBoolean()).isFalse();
        assertThat(job.get("cancellation").isNull()).isTrue();
    }

    @Test
    void shouldReplayAJobDeadLetteredInAnEarlierBatchFromItsRowsSinceTheProjectorKeepsNoFinishedJob() throws Exception {
        String jobId = "job-replayed-later-" + System.nanoTime();
        int cachedBefore = projector.cachedJobs();
        projector.project(incoming(TestEvents.deadLetteredAtEnrich(jobId, T0)));
        assertThat(document(jobId).get("state").asText()).isEqualTo("DEAD_LETTERED");
        assertThat(projector.cachedJobs()).as("a finished job is not kept in memory").isEqualTo(cachedBefore);

        projector.project(incoming(List.of(TestEvents.replayed(jobId, T0, 11, "normalize"))));

        JsonNode job = document(jobId);
        assertThat(job.get("state").asText()).isEqualTo("RUNNING");
        assertThat(job.get("finishedAt").isNull()).isTrue();
        assertThat(job.get("replays")).hasSize(1);
        assertThat(job.get("stages").findValuesAsText("status")).containsExactly("SUCCEEDED", "PENDING", "PENDING");
    }

    @Test
    void shouldSayWhichAttemptOfHowManyRunsAfterAReplayAndTheLastError() throws Exception {
        String jobId = "job-attempt-" + System.nanoTime();
        List<JobEvent> events = new ArrayList<>(TestEvents.deadLetteredAtEnrich(jobId, T0));
        events.add(TestEvents.replayed(jobId, T0, 11, "enrich"));
        events.add(new JobEvent.StageDispatched(TestEvents.eid(jobId, 12), jobId, T0.plusSeconds(12), 12, "enrich", 2,
                6, T0.plusSeconds(42)));
        projector.project(incoming(events));

        JsonNode attempt = document(jobId).get("attempt");

        assertThat(attempt.get("stage").asText()).isEqualTo("enrich");
        assertThat(attempt.get("attempt").asInt()).isEqualTo(6);
        assertThat(attempt.get("attemptInRound").asInt()).as("the first of the replay's fresh budget").isEqualTo(1);
        assertThat(attempt.get("allowed").asInt()).as("the default pipeline's enrich: maximumAttempts 5").isEqualTo(5);
        assertThat(attempt.get("deadline").asText()).isEqualTo(T0.plusSeconds(42).toString());
        assertThat(attempt.get("nextAttemptAt").isNull()).isTrue();
        assertThat(attempt.get("lastError").get("errorClass").asText()).isEqualTo("HttpError");
        assertThat(attempt.get("lastError").get("message").asText()).isEqualTo("503 from agent");
    }

    @Test
    void shouldShowACancelledJobWithItsCancellationAndStageCancelled() throws Exception {
        String jobId = "job-cancelled-" + System.nanoTime();
        List<JobEvent> events = new ArrayList<>(TestEvents.successfulRun(jobId, T0).subList(0, 4));
        events.add(new JobEvent.JobCancelled(TestEvents.eid(jobId, 5), jobId, T0.plusSeconds(20), 5, "ops:bob",
                "customer asked", "stage=normalize", "normalize", 1, "RUNNING"));
        projector.project(incoming(events));

        JsonNode job = document(jobId);

        assertThat(job.get("state").asText()).isEqualTo("CANCELLED");
        assertThat(job.get("finishedAt").asText()).isEqualTo(T0.plusSeconds(20).toString());
        assertThat(job.get("stages").findValuesAsText("status")).containsExactly("SUCCEEDED", "CANCELLED", "PENDING");
        JsonNode cancellation = job.get("cancellation");
        assertThat(cancellation.get("requestedBy").asText()).isEqualTo("ops:bob");
        assertThat(cancellation.get("reason").asText()).isEqualTo("customer asked");
        assertThat(cancellation.get("at").asText()).isEqualTo(T0.plusSeconds(20).toString());
        assertThat(job.get("replays")).isEmpty();
    }

    @Test
    void shouldKeepARefusedReplayInTheHistoryWithoutChangingTheJob() throws Exception {
        String jobId = "job-parked-" + System.nanoTime();
        List<JobEvent> events = new ArrayList<>(TestEvents.deadLetteredAtEnrich(jobId, T0));
        events.add(new JobEvent.ReplayRefused(TestEvents.eid(jobId, 11), jobId, T0.plusSeconds(11), 11, "rpl_b",
                "ops:alice", "once more", null, "replayed 3 times, the limit", true));
        projector.project(incoming(events));

        JsonNode job = document(jobId);

        assertThat(job.get("state").asText()).isEqualTo("DEAD_LETTERED");
        assertThat(job.get("finishedAt").asText()).isEqualTo(T0.plusSeconds(9).toString());
        assertThat(job.get("refusedReplays").get(0).get("parked").asBoolean()).isTrue();
        assertThat(app.bean(JobReadModel.class).eventsAfter(jobId, 10, 10)).extracting(EventEntity::type)
                .containsExactly("ReplayRefused");
    }

    private static JsonNode document(String jobId) throws Exception {
        SseClient.Reply reply = SseClient.get(app.uri("/jobs/" + jobId));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return Json.MAPPER.readTree(reply.body());
    }
}
