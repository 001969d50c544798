package io.jobpipe.core;

import io.jobpipe.core.pipeline.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), 5, 0.5, Set.of("Fatal"));

    @Test
    void shouldGrowExponentiallyUpToTheMaximum() {
        // random = 1.0 gives the un-jittered delay
        assertThat(policy.delayFor(1, () -> 1.0)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.delayFor(2, () -> 1.0)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.delayFor(3, () -> 1.0)).isEqualTo(Duration.ofMillis(400));
        assertThat(policy.delayFor(5, () -> 1.0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delayFor(30, () -> 1.0)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void shouldJitterOnlyTheConfiguredFraction() {
        assertThat(policy.delayFor(2, () -> 0.0)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.delayFor(2, () -> 0.5)).isEqualTo(Duration.ofMillis(150));
    }

    @Test
    void shouldWaitForTheLongerOfBackoffAndRetryAfterCappedAtItsMaximum() {
        RetryPolicy capped = new RetryPolicy(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), 5, 0.5, Set.of(),
                Duration.ofSeconds(60));

        assertThat(capped.delayFor(2, () -> 1.0, null)).isEqualTo(Duration.ofMillis(200));
        assertThat(capped.delayFor(2, () -> 1.0, Duration.ofMillis(50))).isEqualTo(Duration.ofMillis(200));
        assertThat(capped.delayFor(2, () -> 1.0, Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
        assertThat(capped.delayFor(2, () -> 1.0, Duration.ofHours(3))).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.maximumRetryAfter()).isEqualTo(RetryPolicy.DEFAULT_MAXIMUM_RETRY_AFTER);
    }

    @Test
    void shouldStopRetryingAtTheAttemptLimitAndForNonRetryableErrors() {
        assertThat(policy.allowsRetryAfter(4)).isTrue();
        assertThat(policy.allowsRetryAfter(5)).isFalse();
        assertThat(policy.isRetryable("Timeout", true)).isTrue();
        assertThat(policy.isRetryable("Fatal", true)).isFalse();
        assertThat(policy.isRetryable("Timeout", false)).isFalse();
    }

    @Test
    void shouldRejectInvalidPolicies() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, 2, Duration.ofSeconds(1), 3, 0, Set.of()))
                .hasMessageContaining("initialInterval");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1), 3, 0, Set.of()))
                .hasMessageContaining("coefficient");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(2), 2, Duration.ofSeconds(1), 3, 0, Set.of()))
                .hasMessageContaining("maximumInterval");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), 2, Duration.ofSeconds(1), 0, 0, Set.of()))
                .hasMessageContaining("maximumAttempts");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), 2, Duration.ofSeconds(1), 1, 2, Set.of()))
                .hasMessageContaining("jitter");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), 2, Duration.ofSeconds(1), 1, 0, Set.of(" ")))
                .hasMessageContaining("nonRetryableErrors");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), 2, Duration.ofSeconds(1), 1, 0, Set.of(),
                Duration.ofSeconds(-1))).hasMessageContaining("maximumRetryAfter");
    }
}
