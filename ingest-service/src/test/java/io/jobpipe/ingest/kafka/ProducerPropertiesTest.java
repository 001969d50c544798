package io.jobpipe.ingest.kafka;

import io.jobpipe.ingest.config.ProducerSettings;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProducerPropertiesTest {
    private static final ProducerSettings DEFAULTS = new ProducerSettings(
            Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofMillis(5));

    @Test
    void shouldWriteIdempotentlyAndWaitForAllInSyncReplicas() {
        Map<String, Object> props = ProducerProperties.of("k:9092", "ns.jobpipe-ingest", DEFAULTS, 1 << 20);

        assertThat(props).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092")
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "ns.jobpipe-ingest");
    }

    @Test
    void shouldBoundEverySendSoADeadBrokerIsReportedWithinFiveSeconds() {
        Map<String, Object> props = ProducerProperties.of("k:9092", "c", DEFAULTS, 1 << 20);

        assertThat(props).containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000)
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 4000)
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 5);
        assertThat((int) props.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)).isLessThanOrEqualTo(5000);
    }

    @Test
    void shouldAllowARecordOfTheLargestBodyPlusItsEnvelope() {
        Map<String, Object> props = ProducerProperties.of("k:9092", "c", DEFAULTS, 1 << 20);

        assertThat((int) props.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG))
                .isEqualTo((1 << 20) + ProducerProperties.ENVELOPE_ALLOWANCE_BYTES);
    }

    @Test
    void shouldRefuseADeliveryTimeoutKafkaWouldReject() {
        assertThatThrownBy(() -> new ProducerSettings(Duration.ofSeconds(2), Duration.ofSeconds(3),
                Duration.ofSeconds(2), Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delivery-timeout");
    }
}
