package io.jobpipe.runtime.cli;

import io.jobpipe.runtime.bench.worker.WorkerBench;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code ./jobpipe bench worker} prints: each side's rate and CPU per record, the ratio and its verdict. */
class WorkerBenchReportTest {

    @Test
    void shouldPrintEachRoundsCpuPerRecordBesideItsRateAndTheRatioOfTheBestRates() {
        WorkerBench.Report report = new WorkerBench.Report(List.of(
                new WorkerBench.Round("raw", 1, 20_000, 20_000, 0, 7_003, 88.4, 0.05),
                new WorkerBench.Round("worker", 1, 20_000, 20_000, 0, 2_977, 305.2, 0.31)), 7_003, 2_977, null);

        String text = WorkerBenchCommand.render(report, false, true, true);

        assertThat(text)
                .contains("CPU/record")
                .containsPattern("1  raw\\s+20000/20000\\s+0\\s+7003/s\\s+88 µs \\(JIT 5%\\)")
                .containsPattern("1  worker\\s+20000/20000\\s+0\\s+2977/s\\s+305 µs \\(JIT 31%\\)")
                .contains("ratio 0.43 (target >= 0.80) FAIL")
                .doesNotContain("MISSING RESULTS");
    }

    @Test
    void shouldSayNotAvailableRatherThanZeroWhenTheCpuCouldNotBeRead() {
        WorkerBench.Report report = new WorkerBench.Report(List.of(
                new WorkerBench.Round("raw", 1, 100, 100, 0, 500, Double.NaN, Double.NaN)), 500, 0, null);

        String text = WorkerBenchCommand.render(report, false, true, true);

        assertThat(text).containsPattern("1  raw\\s+100/100\\s+0\\s+500/s\\s+n/a").doesNotContain("0 µs");
    }
}
