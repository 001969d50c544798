package io.jobpipe.runtime.bench;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.jobpipe.runtime.bench.BenchReports.phase;
import static io.jobpipe.runtime.bench.BenchReports.replay;
import static io.jobpipe.runtime.bench.BenchReports.seed;
import static org.assertj.core.api.Assertions.assertThat;

class BulkReplayReportTest {
    private static BulkReplayReport report(BenchReport baseline, BenchReport during, ReplayFigures replay) {
        return BulkReplayReport.of(Instant.EPOCH, "run", seed(10_000), baseline, during, replay,
                ReplayImpact.ISSUE_8_ALLOWED_RATIO);
    }

    @Test
    void shouldPassWhenTheReplayCompletedAllAndNoNormalJobWasLost() {
        BulkReplayReport report = report(phase(100, 6000, 400, 0, null), phase(100, 6000, 700, 0, null),
                replay(10_000, 10_000, 40.0));

        assertThat(report.passed()).isTrue();
        assertThat(report.problems()).isEmpty();
        assertThat(report.impact().ratio()).isEqualTo(1.75);
        assertThat(report.impact().verdict()).isEqualTo(ReplayImpact.Verdict.PASS);
        assertThat(report.replay().completedPerSecond()).isEqualTo(250.0);
        assertThat(report.replay().sentPerSecond()).isEqualTo(450.0);
    }

    @Test
    void shouldStillPassTheRunWhenOnlyTheP99TargetIsMissed() {
        BulkReplayReport report = report(phase(100, 6000, 400, 0, null), phase(100, 6000, 1200, 0, null),
                replay(10_000, 10_000, 40.0));

        assertThat(report.passed()).isTrue();
        assertThat(report.impact().verdict()).isEqualTo(ReplayImpact.Verdict.FAIL);
    }

    @Test
    void shouldFailWhenSomeReplayedJobsDidNotComplete() {
        BulkReplayReport report = report(phase(100, 6000, 400, 0, null), phase(100, 6000, 500, 0, null),
                replay(10_000, 9_990, null));

        assertThat(report.passed()).isFalse();
        assertThat(report.problems()).containsExactly(
                "10 of 10000 replayed jobs did not end COMPLETED (10 dead-lettered again)");
    }

    @Test
    void shouldFailWhenANormalJobWasLostInEitherPhase() {
        BulkReplayReport report = report(phase(100, 6000, 400, 2, null), phase(100, 6000, 500, 1, null),
                replay(10_000, 10_000, 40.0));

        assertThat(report.passed()).isFalse();
        assertThat(report.problems()).containsExactly("baseline phase: 2 accepted job(s) did not finish",
                "replay phase: 1 accepted job(s) did not finish");
    }

    @Test
    void shouldFailWhenTheOperationSelectedOtherJobsThanTheSeeded() {
        ReplayFigures selectedMore = new ReplayFigures(null, "op_1", "bench-run", "{}", "bench", "{}", 500, 10_000,
                10_001, 10_001, 0, "done", null, 22.0, 10_000, 10_000, 0, 40.0, java.util.List.of(), null);

        BulkReplayReport report = report(phase(100, 6000, 400, 0, null), phase(100, 6000, 500, 0, null), selectedMore);

        assertThat(report.passed()).isFalse();
        assertThat(report.problems()).containsExactly("the replay operation selected 10001 jobs, not the 10000 seeded");
    }

    @Test
    void shouldWarnWhenTheReplayOutlastedTheMeasuredTraffic() {
        BulkReplayReport report = report(phase(100, 6000, 400, 0, null), phase(100, 6000, 500, 0, null),
                replay(10_000, 10_000, 75.0));

        assertThat(report.passed()).isTrue();
        assertThat(report.warnings()).singleElement().asString().startsWith("the replay took 75.0 s to complete, "
                + "longer than the 60 s of normal traffic");
    }

    @Test
    void shouldWarnWhenTheReplayCoveredLessThanHalfOfTheMeasuredTraffic() {
        BulkReplayReport report = report(phase(100, 6000, 400, 0, null), phase(100, 6000, 500, 0, null),
                replay(10_000, 10_000, 25.0));

        assertThat(report.warnings()).singleElement().asString().startsWith("the replay was over after 25.0 s of the "
                + "60 s of normal traffic");
    }

    @Test
    void shouldWarnWhenTheBaselineRanWhileTheJitWasStillCompiling() {
        BulkReplayReport report = report(phase(100, 6000, 400, 0, cpu(1000, 150)), phase(100, 6000, 500, 0, cpu(1000, 20)),
                replay(10_000, 10_000, 40.0));

        assertThat(report.warnings()).singleElement().asString().startsWith("the JVMs' JIT compilers used 15% of the "
                + "baseline phase's CPU");
    }

    @Test
    void shouldNotWarnAboutAWarmBaseline() {
        BulkReplayReport report = report(phase(100, 6000, 400, 0, cpu(1000, 100)), phase(100, 6000, 500, 0, null),
                replay(10_000, 10_000, 40.0));

        assertThat(report.warnings()).isEmpty();
    }

    private static CpuCost cpu(double loadMs, double jitMs) {
        CpuCost.Part total = new CpuCost.Part("total", "", "", null, loadMs, 50.0, loadMs / 6000, null, jitMs);
        return new CpuCost(0, 60, 6000, java.util.List.of(), total, total, java.util.List.of());
    }

    @Test
    void shouldReportAReplayThatCouldNotStart() {
        ReplayFigures refused = new ReplayFigures("cannot start a bulk replay: 503", null, "bench-run", "{}", "bench",
                "{}", 500, 10_000, 0, 0, 0, null, null, null, 10_000, 0, 10_000, null, java.util.List.of(), null);

        BulkReplayReport report = report(phase(100, 6000, 400, 0, null), phase(100, 6000, 500, 0, null), refused);

        assertThat(report.passed()).isFalse();
        assertThat(report.problems()).containsExactly("the bulk replay could not start: cannot start a bulk replay: 503");
        assertThat(report.replay().sentPerSecond()).isNull();
    }
}
