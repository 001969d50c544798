package io.jobpipe.support.kafka;

import io.jobpipe.core.kafka.TopicProvisioner;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The values every service ran with before they were gathered here; the next tuning changes them here. */
class KafkaClientDefaultsTest {
    private static final ProducerTimeouts INGEST = new ProducerTimeouts(
            Duration.ofMillis(5), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(4));

    @Test
    void shouldWriteIdempotentlyAndWaitForAllInSyncReplicas() {
        Map<String, Object> ingest = KafkaClientDefaults.jobRequestProducer(INGEST, 1 << 20);
        Map<String, Object> worker = KafkaClientDefaults.stageResultProducer(Duration.ofSeconds(20));

        for (Map<String, Object> props : new Map[] {ingest, worker}) {
            assertThat(props).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                    .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        }
    }

    @Test
    void shouldBoundEveryIngestSendSoADeadBrokerIsReportedWithinFiveSeconds() {
        Map<String, Object> props = KafkaClientDefaults.jobRequestProducer(INGEST, 1 << 20);

        assertThat(props).containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000)
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 4000)
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 5)
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        assertThat((int) props.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)).isLessThanOrEqualTo(5000);
    }

    @Test
    void shouldAllowARecordOfTheLargestBodyPlusItsEnvelope() {
        Map<String, Object> props = KafkaClientDefaults.jobRequestProducer(INGEST, 1 << 20);

        assertThat((int) props.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG))
                .isEqualTo((1 << 20) + KafkaClientDefaults.ENVELOPE_ALLOWANCE_BYTES);
    }

    @Test
    void shouldLetTheOrchestratorWriteJobStatesAndStageRequestsCarryingA25MiBBody() {
        Map<String, Object> props = KafkaClientDefaults.exactlyOnceStreams(Duration.ofMillis(50));

        assertThat(props).containsEntry(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                        TopicProvisioner.MAX_MESSAGE_BYTES)
                .containsEntry(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "zstd")
                .containsEntry(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG),
                        TopicProvisioner.MAX_MESSAGE_BYTES);
        assertThat(TopicProvisioner.MAX_MESSAGE_BYTES).isGreaterThan(25 * 1024 * 1024 + KafkaClientDefaults.ENVELOPE_ALLOWANCE_BYTES);
    }

    @Test
    void shouldRefuseADeliveryTimeoutKafkaWouldReject() {
        assertThatThrownBy(() -> new ProducerTimeouts(Duration.ofMillis(5), Duration.ofSeconds(2),
                Duration.ofSeconds(3), Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delivery-timeout");
    }

    @Test
    void shouldKeepTheWorkersResultWritesInsideTheShareLock() {
        Map<String, Object> props = KafkaClientDefaults.stageResultProducer(Duration.ofSeconds(20));

        assertThat(props).containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000)
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000)
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000)
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 0);
    }

    @Test
    void shouldAcknowledgeShareRecordsExplicitlyAndAcquireAFewAtATime() {
        assertThat(KafkaClientDefaults.stageShareConsumer(10))
                .containsEntry(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit")
                .containsEntry(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit")
                .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10);
    }

    @Test
    void shouldProjectOnlyCommittedEventsFromTheBeginningAndCommitByHand() {
        assertThat(KafkaClientDefaults.projectionConsumer(500))
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    }

    @Test
    void shouldRunStreamsExactlyOnceAndPollWithinTheCommitInterval() {
        Map<String, Object> props = KafkaClientDefaults.exactlyOnceStreams(Duration.ofMillis(50));

        assertThat(props).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50L)
                .containsEntry(StreamsConfig.POLL_MS_CONFIG, 50L)
                .containsEntry(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 10);
    }

    @Test
    void shouldProcessBufferedRecordsWithoutWaitingForTheOtherInputTopic() {
        assertThat(KafkaClientDefaults.exactlyOnceStreams(Duration.ofMillis(50)))
                .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    }
}
