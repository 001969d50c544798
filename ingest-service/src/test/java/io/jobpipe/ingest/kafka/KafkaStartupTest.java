package io.jobpipe.ingest.kafka;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaStartupTest {

    @Test
    void shouldBackOffExponentiallyUpToFifteenSeconds() {
        assertThat(KafkaStartup.backoff(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(KafkaStartup.backoff(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(KafkaStartup.backoff(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(KafkaStartup.backoff(6)).isEqualTo(Duration.ofSeconds(15));
        assertThat(KafkaStartup.backoff(1000)).isEqualTo(Duration.ofSeconds(15));
    }
}
