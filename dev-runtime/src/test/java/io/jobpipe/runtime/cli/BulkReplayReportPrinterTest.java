package io.jobpipe.runtime.cli;

import io.jobpipe.runtime.bench.BenchReports;
import io.jobpipe.runtime.bench.BulkReplayReport;
import io.jobpipe.runtime.bench.ReplayImpact;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class BulkReplayReportPrinterTest {
    @Test
    void shouldShowBothPhasesSideBySideTheRatioAndTheVerdict() {
        BulkReplayReport report = BulkReplayReport.of(Instant.EPOCH, "run-1", BenchReports.seed(300),
                BenchReports.phase(20, 400, 400, 0, null), BenchReports.phase(20, 400, 1000, 0, null),
                BenchReports.replay(300, 300, 12.5), ReplayImpact.ISSUE_8_ALLOWED_RATIO);

        String text = BulkReplayReportPrinter.render(report);

        assertThat(text).contains("== jobpipe bench --bulk-replay run-1 ==")
                .contains("seeded    300 dead letters of pipeline fails-on-demand")
                .contains("operation        done: 300 of 300 commands sent, 0 not sent")
                .contains("all COMPLETED    12.5 s after the operation was asked for: replayed jobs completed at 24.0/s")
                .containsPattern("e2e p99 +400 ms +1000 ms")
                .contains("p99 ratio  during replay / baseline = 1000 ms / 400 ms = 2.50× (issue 8: at most 2×): FAIL")
                .contains("verdict    PASS: the replay completed all 300 dead letters");
    }

    @Test
    void shouldListWhatFailed() {
        BulkReplayReport report = BulkReplayReport.of(Instant.EPOCH, "run-2", BenchReports.seed(300),
                BenchReports.phase(20, 400, 400, 0, null), BenchReports.phase(20, 400, 500, 3, null),
                BenchReports.replay(300, 290, null), ReplayImpact.ISSUE_8_ALLOWED_RATIO);

        String text = BulkReplayReportPrinter.render(report);

        assertThat(text).contains("all COMPLETED    no: 290 of 300 COMPLETED, 10 dead-lettered")
                .containsPattern("lost \\(in flight, failed, DLQ\\) +0 +3 \\(3, 0, 0\\)")
                .contains("verdict    FAIL")
                .contains("  - replay phase: 3 accepted job(s) did not finish")
                .contains("  - 10 of 300 replayed jobs did not end COMPLETED (10 dead-lettered again)");
    }
}
