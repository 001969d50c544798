package io.jobpipe.orchestrator;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.orchestrator.streams.OversizedRecords;
import io.jobpipe.orchestrator.streams.PoisonRecords;
import io.jobpipe.orchestrator.config.OrchestratorProperties;
import io.jobpipe.support.kafka.KafkaClientConfigs;
import io.jobpipe.support.kafka.KafkaClientDefaults;
import io.jobpipe.support.kafka.KafkaClientProperties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.util.Map;
import java.util.Properties;

/**
 * The orchestrator's Kafka Streams configuration: service-support's exactly-once defaults plus what only
 * this application knows (its id, state directory, threads, where it copies records it cannot read).
 */
public final class StreamsSettings {
    static final String APPLICATION_ID = "jobpipe-orchestrator";

    private StreamsSettings() {
    }

    /** The application id: prefixed with the topics namespace so tests sharing a broker never share a group. */
    public static String applicationId(String namespace) {
        return namespace + APPLICATION_ID;
    }

    /** The settings to hand to {@link KafkaClientConfigs#streams}: defaults first, this application's wiring over them. */
    public static Map<String, Object> settings(short replicationFactor, OrchestratorProperties configuration,
                                               String stateDir, String poisonTopic) {
        Map<String, Object> props = KafkaClientDefaults.exactlyOnceStreams(configuration.commitInterval());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, configuration.streamThreads());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, PoisonRecords.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, PoisonRecords.class);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, OversizedRecords.class);
        props.put(PoisonRecords.POISON_TOPIC_CONFIG, poisonTopic);
        // Heartbeats have their own thread, so a busy stream thread does not miss them; Kafka's 45 s default is how
        // long jobs would stall after a crash. Only the group's (main) consumer has a session.
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                (int) configuration.sessionTimeout().toMillis());
        if (configuration.instanceId() != null && !configuration.instanceId().isBlank()) {
            // Streams appends each stream thread's index, so every consumer of the instance has its own static id.
            props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, configuration.instanceId().trim());
        }
        return props;
    }

    /** The whole configuration without operator overrides, for tests that build the topology themselves. */
    public static Properties properties(String bootstrapServers, String namespace, short replicationFactor,
                                        OrchestratorProperties configuration, String stateDir) {
        return new KafkaClientConfigs(bootstrapServers, KafkaClientProperties.none())
                .streams(applicationId(namespace), settings(replicationFactor, configuration, stateDir,
                        Topics.of(namespace).poison));
    }
}
