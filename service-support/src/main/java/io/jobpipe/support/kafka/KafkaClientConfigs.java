package io.jobpipe.support.kafka;

import io.jobpipe.support.config.SharedDefaults;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.StreamsConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Makes the configuration of every Kafka client a service creates, by one rule: the connection (bootstrap
 * servers, ids) first, then the settings the service passes (the defaults of {@link KafkaClientDefaults} for
 * its role plus its own wiring), then the operator's {@code jobpipe.kafka.<client>.*} overrides, which win.
 */
@Singleton
public class KafkaClientConfigs {
    private final String bootstrapServers;
    private final KafkaClientProperties overrides;

    public KafkaClientConfigs(@Value("${" + SharedDefaults.BOOTSTRAP_SERVERS + "}") String bootstrapServers,
                              KafkaClientProperties overrides) {
        this.bootstrapServers = bootstrapServers;
        this.overrides = overrides;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Map<String, Object> producer(String clientId, Map<String, Object> settings) {
        return merge(connection(clientId), settings, overrides.producer());
    }

    public Map<String, Object> consumer(String groupId, String clientId, Map<String, Object> settings) {
        return merge(group(groupId, clientId), settings, overrides.consumer());
    }

    public Map<String, Object> shareConsumer(String groupId, String clientId, Map<String, Object> settings) {
        return merge(group(groupId, clientId), settings, overrides.shareConsumer());
    }

    public Map<String, Object> admin(String clientId) {
        return merge(connection(clientId), KafkaClientDefaults.admin(), overrides.admin());
    }

    public Properties streams(String applicationId, Map<String, Object> settings) {
        Map<String, Object> connection = Map.of(StreamsConfig.APPLICATION_ID_CONFIG, applicationId,
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        Properties properties = new Properties();
        properties.putAll(merge(connection, settings, overrides.streams()));
        return properties;
    }

    /** The merge rule: later maps win, so {@code overrides} (strings, which Kafka parses) have the last word. */
    static Map<String, Object> merge(Map<String, Object> connection, Map<String, Object> settings,
                                     Map<String, String> overrides) {
        Map<String, Object> merged = new HashMap<>(connection);
        merged.putAll(settings);
        merged.putAll(overrides);
        return merged;
    }

    private Map<String, Object> connection(String clientId) {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    }

    private Map<String, Object> group(String groupId, String clientId) {
        Map<String, Object> group = new HashMap<>(connection(clientId));
        group.put(CommonClientConfigs.GROUP_ID_CONFIG, groupId);
        return group;
    }
}
