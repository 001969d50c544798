package io.jobpipe.orchestrator.streams;

import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.JobStatus;
import io.jobpipe.core.kafka.JsonSerde;
import io.jobpipe.orchestrator.machine.AttemptPhase;
import io.jobpipe.orchestrator.machine.JobState;
import io.jobpipe.orchestrator.machine.StageFailure;
import io.jobpipe.orchestrator.machine.Timer;
import org.junit.jupiter.api.Test;

import java.time.Instant;

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
                new StageFailure("HttpTimeout", "agent timed out", t));
        JsonSerde<JobState> serde = new JsonSerde<>(JobState.class);

        assertThat(serde.fromBytes(serde.toBytes(state))).isEqualTo(state);
    }

    @Test
    void shouldRoundTripTimer() {
        Timer timer = new Timer("job_1", Timer.Kind.ATTEMPT_TIMEOUT, "act", 2);
        JsonSerde<Timer> serde = new JsonSerde<>(Timer.class);

        assertThat(serde.fromBytes(serde.toBytes(timer))).isEqualTo(timer);
    }

    @Test
    void shouldOrderTimerKeysByDueTime() {
        Timer timer = new Timer("job_1", Timer.Kind.RETRY_DUE, "act", 1);
        String early = TimerKeys.of(Instant.ofEpochMilli(9_999), timer);
        String late = TimerKeys.of(Instant.ofEpochMilli(10_000), timer);

        assertThat(early).isLessThan(late).isEqualTo("0000000009999|job_1|RETRY_DUE|act|1");
        assertThat(TimerKeys.dueAtMillis(late)).isEqualTo(10_000);
    }
}
