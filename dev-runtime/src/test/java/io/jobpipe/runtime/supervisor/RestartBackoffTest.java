package io.jobpipe.runtime.supervisor;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestartBackoffTest {
    private final RestartBackoff backoff = RestartBackoff.DEFAULT;

    @Test
    void shouldDoubleTheDelayWhileAChildKeepsCrashingUpToTheMaximum() {
        assertThat(backoff.delayFor(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delayFor(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delayFor(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(backoff.delayFor(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delayFor(1000)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void shouldCountACrashAfterAStableRunAsTheFirstAgain() {
        assertThat(backoff.crashesInARow(4, Duration.ofSeconds(5))).isEqualTo(5);
        assertThat(backoff.crashesInARow(4, Duration.ofMinutes(2))).isEqualTo(1);
        assertThat(backoff.crashesInARow(0, Duration.ZERO)).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnInvalidPolicy() {
        assertThatThrownBy(() -> new RestartBackoff(Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RestartBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backoff.delayFor(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
