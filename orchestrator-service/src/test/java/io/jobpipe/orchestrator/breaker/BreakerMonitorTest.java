package io.jobpipe.orchestrator.breaker;

import io.jobpipe.core.breaker.BreakerState;
import io.jobpipe.core.breaker.BreakerState.Status;
import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.pipeline.BreakerPolicy;
import io.jobpipe.core.pipeline.RetryPolicy;
import io.jobpipe.core.pipeline.StageDefinition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** When a stage's breaker opens, probes and closes, from the attempt outcomes one task sees. */
class BreakerMonitorTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final BreakerPolicy POLICY = new BreakerPolicy(true, 0.5, 10, 4, Duration.ofSeconds(30));
    static final StageDefinition ACT = new StageDefinition("act", AgentSpec.builtin("act"), Duration.ofSeconds(10),
            RetryPolicy.DEFAULT, 4, POLICY);

    final BreakerMonitor monitor = new BreakerMonitor();

    @Test
    void shouldOpenOnceEnoughRecentAttemptsFailed() {
        assertThat(outcome("j1", true, null)).isEmpty();
        assertThat(outcome("j2", false, null)).isEmpty();
        assertThat(outcome("j3", true, null)).as("3 known, fewer than the minimum of 4").isEmpty();

        Optional<BreakerState> opened = outcome("j4", true, null);

        assertThat(opened).get().satisfies(state -> {
            assertThat(state.breaker()).isEqualTo("p/act");
            assertThat(state.status()).isEqualTo(Status.OPEN);
            assertThat(state.since()).isEqualTo(T0);
            assertThat(state.manual()).isFalse();
            assertThat(state.changedBy()).isEqualTo(BreakerState.ORCHESTRATOR);
            assertThat(state.reason()).startsWith("3 of the last 4 attempts failed (75%, opens at 50%)");
        });
    }

    @Test
    void shouldStayClosedWhileFailuresStayBelowTheRate() {
        for (int i = 0; i < 30; i++) {
            assertThat(outcome("j" + i, i % 3 == 1, null)).as("outcome %d", i).isEmpty();
        }
    }

    @Test
    void shouldWeighOnlyTheLastWindowOfAttempts() {
        for (int i = 0; i < 10; i++) {
            outcome("ok" + i, false, null);
        }
        // 4 failures among the last 10: 40%, under 50%.
        for (int i = 0; i < 4; i++) {
            assertThat(outcome("bad" + i, true, null)).isEmpty();
        }
        assertThat(outcome("bad4", true, null)).as("5 of the last 10").isPresent();
    }

    @Test
    void shouldNotCountOutcomesWhileOpenAndStartAFreshCountAfterAChange() {
        BreakerState open = openState(T0);
        for (int i = 0; i < 10; i++) {
            assertThat(monitor.onOutcome("p", ACT, "late" + i, true, null, open, T0)).isEmpty();
        }
        BreakerState closedByHand = new BreakerState(null, "p", "act", Status.CLOSED, T0.plusSeconds(1), "fixed",
                "ops:alice", false);
        for (int i = 0; i < 3; i++) {
            assertThat(monitor.onOutcome("p", ACT, "j" + i, true, null, closedByHand, T0)).isEmpty();
        }
        assertThat(monitor.onOutcome("p", ACT, "j3", true, null, closedByHand, T0)).isPresent();
    }

    @Test
    void shouldNeverOpenADisabledBreaker() {
        StageDefinition off = new StageDefinition("act", ACT.agent(), ACT.timeout(), ACT.retry(), 4, POLICY.withEnabled(false));
        for (int i = 0; i < 20; i++) {
            assertThat(monitor.onOutcome("p", off, "j" + i, true, null, null, T0)).isEmpty();
        }
    }

    @Test
    void shouldProbeAfterTheCooldownAndCloseWhenTheProbeSucceeds() {
        BreakerState open = openState(T0);
        assertThat(monitor.probeDue("p", ACT, open, T0.plusSeconds(29))).isEmpty();

        BreakerState halfOpen = monitor.probeDue("p", ACT, open, T0.plusSeconds(30)).orElseThrow();
        assertThat(halfOpen.status()).isEqualTo(Status.HALF_OPEN);
        monitor.probeSent("p/act", "probe-job", T0.plusSeconds(30));
        assertThat(monitor.probeDue("p", ACT, halfOpen, T0.plusSeconds(31))).as("one probe at a time").isEmpty();
        assertThat(monitor.onOutcome("p", ACT, "other-job", false, null, halfOpen, T0.plusSeconds(32)))
                .as("only the probe's outcome decides").isEmpty();

        BreakerState closed = monitor.onOutcome("p", ACT, "probe-job", false, null, halfOpen, T0.plusSeconds(33))
                .orElseThrow();

        assertThat(closed.status()).isEqualTo(Status.CLOSED);
        assertThat(closed.reason()).isEqualTo("probe job probe-job succeeded");
    }

    @Test
    void shouldOpenAgainWhenTheProbeFails() {
        BreakerState halfOpen = monitor.probeDue("p", ACT, openState(T0), T0.plusSeconds(30)).orElseThrow();
        monitor.probeSent("p/act", "probe-job", T0.plusSeconds(30));

        BreakerState reopened = monitor.onOutcome("p", ACT, "probe-job", true, "StageTimeout: no answer", halfOpen,
                T0.plusSeconds(40)).orElseThrow();

        assertThat(reopened.status()).isEqualTo(Status.OPEN);
        assertThat(reopened.since()).isEqualTo(T0.plusSeconds(40));
        assertThat(reopened.reason()).isEqualTo("probe job probe-job failed: StageTimeout: no answer");
    }

    @Test
    void shouldSendAnotherProbeWhenTheFirstGaveNoAnswer() {
        BreakerState halfOpen = new BreakerState(null, "p", "act", Status.HALF_OPEN, T0, "probing",
                BreakerState.ORCHESTRATOR, false);
        // Another task's probe (or one lost in a restart): wait for its cooldown plus the stage's timeout.
        assertThat(monitor.probeDue("p", ACT, halfOpen, T0.plusSeconds(39))).isEmpty();

        assertThat(monitor.probeDue("p", ACT, halfOpen, T0.plusSeconds(40))).get()
                .extracting(BreakerState::status).isEqualTo(Status.HALF_OPEN);
    }

    @Test
    void shouldNeverProbeABreakerAnOperatorOpened() {
        BreakerState manual = new BreakerState(null, "p", "act", Status.OPEN, T0, "maintenance", "ops:alice", true);

        assertThat(monitor.probeDue("p", ACT, manual, T0.plus(Duration.ofHours(1)))).isEmpty();
    }

    private Optional<BreakerState> outcome(String jobId, boolean failed, BreakerState current) {
        return monitor.onOutcome("p", ACT, jobId, failed, failed ? "Unavailable: 503" : null, current, T0);
    }

    private static BreakerState openState(Instant since) {
        return new BreakerState(null, "p", "act", Status.OPEN, since, "6 of the last 10 attempts failed",
                BreakerState.ORCHESTRATOR, false);
    }
}
