package io.jobpipe.status.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.Json;
import io.jobpipe.status.SseClient;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.status.store.JobEventProjector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code progress} of {@code GET /jobs/{id}}: the running attempt's latest heartbeat, and nothing once it ended. */
class ProgressApiTest {
    private static final Instant T0 = Instant.parse("2025-04-01T12:00:00Z");
    private static StatusTestApp app;

    @BeforeAll
    static void start() {
        app = StatusTestApp.withoutKafka("progress", Map.of());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static JsonNode job(String jobId) throws Exception {
        return Json.MAPPER.readTree(SseClient.get(app.uri("/jobs/" + jobId)).body());
    }

    private static JobEvent.StageProgress progress(String jobId, long seq, String stage, int attempt, String message) {
        return new JobEvent.StageProgress(TestEvents.eid(jobId, seq), jobId, T0.plusSeconds(seq), seq, stage, attempt,
                message, T0.plusSeconds(seq + 30));
    }

    @Test
    void shouldShowTheLatestHeartbeatOfTheRunningAttemptOnly() throws Exception {
        List<JobEvent> running = new ArrayList<>(TestEvents.successfulRun("job-long", T0).subList(0, 2));
        running.add(progress("job-long", 3, "validate", 1, "page 1 of 7"));
        running.add(progress("job-long", 4, "validate", 1, "page 2 of 7"));
        JobEventProjector projector = app.bean(JobEventProjector.class);
        projector.project(TestEvents.incoming(running));

        JsonNode shown = job("job-long").get("progress");
        assertThat(shown.get("stage").asText()).isEqualTo("validate");
        assertThat(shown.get("attempt").asInt()).isEqualTo(1);
        assertThat(shown.get("message").asText()).isEqualTo("page 2 of 7");
        assertThat(shown.get("at").asText()).isEqualTo("2025-04-01T12:00:04Z");
        assertThat(shown.get("deadline").asText()).isEqualTo("2025-04-01T12:00:34Z");

        projector.project(TestEvents.incoming(List.of(new JobEvent.StageCompleted(TestEvents.eid("job-long", 5),
                "job-long", T0.plusSeconds(5), 5, "validate", 1, T0.plusSeconds(1), 4000, "valid", null))));
        assertThat(job("job-long").get("progress").isNull()).as("no attempt of validate runs any more").isTrue();
    }
}
