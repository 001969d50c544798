package io.jobpipe.support.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicProvisioningPropertiesTest {
    private static final TopicProvisioningProperties DEFAULTS =
            new TopicProvisioningProperties(Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(15));

    @Test
    void shouldBackOffExponentiallyUpToFifteenSeconds() {
        assertThat(DEFAULTS.retryDelay(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(DEFAULTS.retryDelay(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(DEFAULTS.retryDelay(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(DEFAULTS.retryDelay(6)).isEqualTo(Duration.ofSeconds(15));
        assertThat(DEFAULTS.retryDelay(1000)).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void shouldRefuseAMaximumBelowTheFirstRetry() {
        assertThatThrownBy(() -> new TopicProvisioningProperties(Duration.ofSeconds(30), Duration.ofSeconds(2),
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-retry");
    }
}
