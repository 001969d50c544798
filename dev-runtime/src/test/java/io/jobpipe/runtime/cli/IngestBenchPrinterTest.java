package io.jobpipe.runtime.cli;

import io.jobpipe.runtime.bench.IngestBenchReport;
import io.jobpipe.runtime.bench.LatencySummary;
import io.jobpipe.runtime.bench.LoadResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IngestBenchPrinterTest {
    private static final LatencySummary LATENCY = new LatencySummary(1000, 2, 5, 9.5, 20, 30, 2.5);

    @Test
    void shouldPrintBothMaximaTheRatioTheP99AndTheVerdicts() {
        IngestBenchReport report = new IngestBenchReport(1024, 32, List.of(9_800.0, 10_200.0), List.of(4_400.0, 4_600.0),
                new LoadResult(100_000, Map.of(202, 100_000L), 0, 10, LATENCY, null),
                new LoadResult(45_000, Map.of(202, 45_000L), 0, 10, LATENCY, null), 2250,
                new LoadResult(45_000, Map.of(202, 45_000L), 0, 20, LATENCY, null));

        String text = IngestBenchPrinter.render(report);

        assertThat(text).contains("rounds (bare / ingest)         9800/s / 4400/s, 10200/s / 4600/s")
                .contains("bare Micronaut endpoint (202)     10000/s  202×100000")
                .contains("ingest, maximum                    4500/s  202×45000")
                .contains("ratio ingest / bare                45.0%   target >= 40%   PASS")
                .contains("p99 at half max                     9.5 ms  target <= 50 ms  PASS")
                .endsWith("PASS\n")
                .doesNotContain("RATE-LIMITED");
    }

    @Test
    void shouldSayClearlyWhenTheRateLimiterCappedTheRun() {
        IngestBenchReport report = new IngestBenchReport(1024, 32, List.of(10_000.0), List.of(2_000.0),
                new LoadResult(100_000, Map.of(202, 100_000L), 0, 10, LATENCY, null),
                new LoadResult(30_000, Map.of(202, 20_000L, 429, 10_000L), 2, 10, LATENCY,
                        "HTTP 429: {\"type\":\"rate-limited\"}"), 1000,
                new LoadResult(20_000, Map.of(202, 20_000L), 0, 20, LATENCY, null));

        String text = IngestBenchPrinter.render(report);

        assertThat(text).contains("202×20000 429×10000 transport-errors×2")
                .contains("RATE-LIMITED: ingest answered 429 (10000 at maximum, 0 at half)")
                .contains("JOBPIPE_INGEST_CLIENT_RATE_PER_SECOND")
                .contains("first refusal or error: HTTP 429")
                .endsWith("FAIL\n");
    }
}
