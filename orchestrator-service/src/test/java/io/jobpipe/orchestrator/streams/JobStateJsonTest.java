package io.jobpipe.orchestrator.streams;

import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.JobStatus;
import io.jobpipe.core.kafka.JsonSerde;
import io.jobpipe.orchestrator.machine.AttemptPhase;
import io.jobpipe.orchestrator.machine.JobState;
import io.jobpipe.orchestrator.machine.StageFailure;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the state stores hold must read back exactly as written, or a restart would change a job. */
class JobStateJsonTest {

    @Test
    void shouldRoundTripJobStateWithEveryFieldSet() throws Exception {
        Instant t = Instant.parse("2026-01-01T00:00:00.123Z");
        JobState state = new JobState("job_1", "github", "push", "d-1", "req-1", "default", JobStatus.RUNNING,
                "enrich", 2, 3, AttemptPhase.WAITING_FOR_RETRY, "evt_9", t, t.plusSeconds(30), t.plusMillis(400), 11,
                Json.MAPPER.readTree("{\"ref\":\"main\",\"n\":[1,2]}"),
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree("{\"validate\":{\"ok\":true}}"),
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", t.minusSeconds(1),
                new StageFailure("HttpTimeout", "agent timed out", t), t.plusSeconds(60), 2, 5, 1, List.of("rpl_1"));
        JsonSerde<JobState> serde = new JsonSerde<>(JobState.class);

        assertThat(serde.fromBytes(serde.toBytes(state))).isEqualTo(state);
    }

    @Test
    void shouldReadStateStoredBeforeItHadAnEndTime() {
        JsonSerde<JobState> serde = new JsonSerde<>(JobState.class);
        String stored = """
                {"jobId":"job_1","connection":"demo","eventType":"push","deliveryId":"d-1","requestId":"req-1",
                 "pipeline":"default","status":"COMPLETED","stage":"notify","stageIndex":6,"attempt":1,"phase":"NONE",
                 "lastSeq":16,"payload":{},"outputs":{}}""";

        JobState state = serde.fromBytes(stored.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(state.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(state.endedAt()).isNull();
    }
}
