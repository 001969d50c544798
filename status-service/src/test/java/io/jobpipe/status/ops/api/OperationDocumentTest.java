package io.jobpipe.status.ops.api;

import io.jobpipe.status.store.OperationRow;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class OperationDocumentTest {
    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void shouldCallARunningOperationWithoutProgressForAMinuteAbandonedAndSayHowToFinishIt() {
        OperationRow row = row("running", T0);

        assertThat(OperationDocument.of(row, T0.plusSeconds(59)).state()).isEqualTo("running");
        OperationDocument stale = OperationDocument.of(row, T0.plusSeconds(61));

        assertThat(stale.state()).isEqualTo("abandoned");
        assertThat(stale.error()).contains("no progress since 2026-12-02T10:00:00Z", "repeat the request with replayId rpl_1");
        assertThat(stale.updatedAt()).isEqualTo(T0);
    }

    @Test
    void shouldLeaveAFinishedOperationAsItEnded() {
        assertThat(OperationDocument.of(row("done", T0), T0.plusSeconds(3600)).state()).isEqualTo("done");
        assertThat(OperationDocument.of(row("failed", T0), T0.plusSeconds(3600)).error()).isEqualTo("Kafka unavailable");
    }

    private static OperationRow row(String state, Instant updatedAt) {
        return new OperationRow("op_1", "replay", "rpl_1", "ops:ada", "fixed", "stage=act", 50, 20, 0, state,
                T0.minusSeconds(30), "running".equals(state) ? null : updatedAt,
                "failed".equals(state) ? "Kafka unavailable" : null, updatedAt);
    }
}
