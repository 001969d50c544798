package io.jobpipe.orchestrator;

import io.jobpipe.orchestrator.config.OrchestratorProperties;
import io.jobpipe.orchestrator.streams.OversizedRecords;
import io.jobpipe.orchestrator.streams.PoisonRecords;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class StreamsSettingsTest {

    @Test
    void shouldRunExactlyOnceWithNamespacedApplicationIdAndConfiguredCommitInterval() {
        Properties props = StreamsSettings.properties("broker:9092", "ns1.", (short) 3,
                new OrchestratorProperties(Duration.ofMillis(75), "/data/state", 2, Duration.ofMillis(5), Duration.ofMillis(20),
                        Duration.ofHours(1), Duration.ofSeconds(30), Duration.ofDays(7), 3),
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
    }

    @Test
    void shouldUsePlainApplicationIdWithoutNamespace() {
        assertThat(StreamsSettings.applicationId("")).isEqualTo("jobpipe-orchestrator");
    }
}
