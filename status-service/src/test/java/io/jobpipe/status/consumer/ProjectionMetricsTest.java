package io.jobpipe.status.consumer;

import io.jobpipe.status.store.BatchResult;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectionMetricsTest {
    private static final Instant COMMIT = Instant.parse("2026-01-01T00:00:10Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ProjectionState state = new ProjectionState();
    private final ProjectionMetrics metrics = new ProjectionMetrics(registry, state, Clock.fixed(COMMIT, ZoneOffset.UTC));

    @Test
    void shouldRecordEachNewEventsLagAndKeepTheNewestOnesAsTheGauge() {
        metrics.committed(batch(COMMIT.minusSeconds(9), COMMIT.minusMillis(1500), COMMIT.minusSeconds(4)));

        Timer lag = registry.get(ProjectionMetrics.LAG).timer();
        assertThat(lag.count()).isEqualTo(3);
        assertThat(lag.max(TimeUnit.MILLISECONDS)).isEqualTo(9000);
        assertThat(registry.get(ProjectionMetrics.NEWEST_LAG).gauge().value()).isEqualTo(1.5);
    }

    @Test
    void shouldCountAnEventStampedAheadOfThisClockAsNoLag() {
        metrics.committed(batch(COMMIT.plusMillis(300)));

        assertThat(registry.get(ProjectionMetrics.LAG).timer().max(TimeUnit.NANOSECONDS)).isZero();
        assertThat(registry.get(ProjectionMetrics.NEWEST_LAG).gauge().value()).isZero();
    }

    @Test
    void shouldLeaveTheNewestLagAloneWhenABatchAppliedNothing() {
        metrics.committed(batch(COMMIT.minusSeconds(2)));
        metrics.committed(BatchResult.empty());

        assertThat(registry.get(ProjectionMetrics.NEWEST_LAG).gauge().value()).isEqualTo(2.0);
    }

    @Test
    void shouldReadTheProjectedCountsFromTheProjectionState() {
        state.committed(7, 2, 1, 3);

        assertThat(registry.get(ProjectionMetrics.EVENTS_PROJECTED).tag("outcome", "applied").functionCounter().count())
                .isEqualTo(7);
        assertThat(registry.get(ProjectionMetrics.EVENTS_PROJECTED).tag("outcome", "duplicate").functionCounter().count())
                .isEqualTo(2);
        assertThat(registry.get(ProjectionMetrics.EVENTS_PROJECTED).tag("outcome", "skipped").functionCounter().count())
                .isEqualTo(3);
        assertThat(registry.get(ProjectionMetrics.SEQ_GAPS).functionCounter().count()).isEqualTo(1);
    }

    private static BatchResult batch(Instant... occurredAt) {
        return new BatchResult(occurredAt.length, 0, 0, Set.of("job_1"), List.of(occurredAt));
    }
}
