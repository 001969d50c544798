package io.jobpipe.runtime.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyStatsTest {

    @Test
    void shouldReportPercentilesInMillisecondsWithinHdrPrecision() {
        LatencyStats stats = new LatencyStats();
        for (int ms = 1; ms <= 100; ms++) {
            stats.recordMillis(ms);
        }

        LatencySummary summary = stats.summary();

        assertThat(summary.count()).isEqualTo(100);
        assertThat(summary.p50Ms()).isCloseTo(50, within(0.1));
        assertThat(summary.p95Ms()).isCloseTo(95, within(0.1));
        assertThat(summary.p99Ms()).isCloseTo(99, within(0.1));
        assertThat(summary.maxMs()).isCloseTo(100, within(0.1));
        assertThat(summary.meanMs()).isCloseTo(50.5, within(0.1));
    }

    @Test
    void shouldKeepTheTailVisibleWhenOneRequestStalls() {
        LatencyStats stats = new LatencyStats();
        for (int i = 0; i < 99; i++) {
            stats.recordMillis(2);
        }
        stats.recordMillis(5_000);

        assertThat(stats.summary().p50Ms()).isCloseTo(2, within(0.01));
        assertThat(stats.summary().maxMs()).isCloseTo(5_000, within(5.0));
    }

    @Test
    void shouldSummariseNothingAsEmpty() {
        assertThat(new LatencyStats().summary()).isEqualTo(LatencySummary.EMPTY);
        assertThat(LatencySummary.EMPTY.isEmpty()).isTrue();
    }

    @Test
    void shouldClampNegativeAndHugeValuesInsteadOfThrowing() {
        LatencyStats stats = new LatencyStats();
        stats.recordNanos(-5);
        stats.recordNanos(Long.MAX_VALUE);

        assertThat(stats.count()).isEqualTo(2);
        assertThat(stats.summary().maxMs()).isGreaterThan(3_500_000);
    }
}
