package io.jobpipe.runtime.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayImpactTest {
    private static LatencySummary p99(double millis) {
        return new LatencySummary(1000, millis / 4, millis / 2, millis, millis, millis, millis / 4);
    }

    @Test
    void shouldPassAtExactlyTwiceTheBaselineP99() {
        ReplayImpact impact = ReplayImpact.of(p99(400), p99(800), ReplayImpact.ISSUE_8_ALLOWED_RATIO);

        assertThat(impact.ratio()).isEqualTo(2.0);
        assertThat(impact.verdict()).isEqualTo(ReplayImpact.Verdict.PASS);
    }

    @Test
    void shouldFailJustAboveTwiceTheBaselineP99() {
        ReplayImpact impact = ReplayImpact.of(p99(400), p99(800.5), ReplayImpact.ISSUE_8_ALLOWED_RATIO);

        assertThat(impact.ratio()).isGreaterThan(2.0);
        assertThat(impact.verdict()).isEqualTo(ReplayImpact.Verdict.FAIL);
    }

    @Test
    void shouldPassWhenTheReplayPhaseIsFaster() {
        ReplayImpact impact = ReplayImpact.of(p99(900), p99(300), ReplayImpact.ISSUE_8_ALLOWED_RATIO);

        assertThat(impact.ratio()).isCloseTo(0.333, org.assertj.core.data.Offset.offset(0.001));
        assertThat(impact.verdict()).isEqualTo(ReplayImpact.Verdict.PASS);
    }

    @Test
    void shouldGiveNoVerdictWhenAPhaseCompletedNoJob() {
        assertThat(ReplayImpact.of(LatencySummary.EMPTY, p99(300), 2).verdict()).isEqualTo(ReplayImpact.Verdict.UNKNOWN);
        assertThat(ReplayImpact.of(p99(300), LatencySummary.EMPTY, 2).ratio()).isNull();
    }
}
