package io.jobpipe.orchestrator;

import io.jobpipe.orchestrator.config.OrchestratorProperties;
import io.jobpipe.orchestrator.streams.OversizedRecords;
import io.jobpipe.orchestrator.streams.PoisonRecords;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class StreamsSettingsTest {

    @Test
    void shouldRunExactlyOnceWithNamespacedApplicationIdAndConfiguredCommitInterval() {
        Properties props = StreamsSettings.properties("broker:9092", "ns1.", (short) 3,
                new OrchestratorProperties(Duration.ofMillis(75), "/data/state", 2, Duration.ofMillis(5), Duration.ofMillis(20),
                        Duration.ofHours(1), Duration.ofSeconds(30), Duration.ofDays(7), 3, null, Duration.ofSeconds(12)),
                "/data/state");

        StreamsConfig config = new StreamsConfig(props);
        assertThat(config.getString(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("ns1.jobpipe-orchestrator");
        assertThat(config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(75L);
        assertThat(config.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
        assertThat(config.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(2);
        assertThat(config.getString(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo("/data/state");
        assertThat(config.getClass(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(PoisonRecords.class);
        assertThat(config.getClass(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(PoisonRecords.class);
        assertThat(config.getClass(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(OversizedRecords.class);
        assertThat(props.get(PoisonRecords.POISON_TOPIC_CONFIG)).isEqualTo("ns1.jobpipe.poison");
        Map<String, Object> groupConsumer = config.getMainConsumerConfigs("ns1.jobpipe-orchestrator", "client", 1);
        assertThat(groupConsumer.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)).isEqualTo(12_000);
        assertThat(groupConsumer).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    }

    /**
     * With an instance id every stream thread's consumer is a static member of its own id, so a restarted instance
     * takes its partitions back without waiting out the crashed one's session.
     */
    @Test
    void shouldJoinAsAStaticMemberPerStreamThreadWhenGivenAnInstanceId() {
        Properties props = StreamsSettings.properties("broker:9092", "", (short) 1,
                new OrchestratorProperties(Duration.ofMillis(50), "/data/state", 2, Duration.ofMillis(50),
                        Duration.ofMillis(20), Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofDays(7), 3,
                        " orchestrator-0 ", Duration.ofSeconds(15)),
                "/data/state");

        StreamsConfig config = new StreamsConfig(props);
        assertThat(config.getMainConsumerConfigs("jobpipe-orchestrator", "c1", 1).get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG))
                .isEqualTo("orchestrator-0-1");
        assertThat(config.getMainConsumerConfigs("jobpipe-orchestrator", "c2", 2).get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG))
                .isEqualTo("orchestrator-0-2");
        assertThat(config.getRestoreConsumerConfigs("r")).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    }

    @Test
    void shouldUsePlainApplicationIdWithoutNamespace() {
        assertThat(StreamsSettings.applicationId("")).isEqualTo("jobpipe-orchestrator");
    }
}
