package io.jobpipe.orchestrator;

import io.jobpipe.orchestrator.config.OrchestratorConfiguration;
import io.jobpipe.orchestrator.streams.SkipUndeserializableRecords;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

import java.util.Properties;

/** The Kafka Streams configuration of the orchestrator, derived from jobpipe's configuration. */
public final class StreamsSettings {
    static final String APPLICATION_ID = "jobpipe-orchestrator";

    private StreamsSettings() {
    }

    /** The application id: prefixed with the topics namespace so tests sharing a broker never share a group. */
    public static String applicationId(String namespace) {
        return namespace + APPLICATION_ID;
    }

    public static Properties properties(String bootstrapServers, String namespace, short replicationFactor,
                                 OrchestratorConfiguration configuration, String stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId(namespace));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, configuration.commitInterval().toMillis());
        // The thread checks for a due commit only between polls; with the default 100 ms poll an idle thread
        // would hold a finished hop's outputs (invisible until the transaction commits) that much longer.
        props.put(StreamsConfig.POLL_MS_CONFIG, Math.max(5, configuration.commitInterval().toMillis() / 2));
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, configuration.streamThreads());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, SkipUndeserializableRecords.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // EOS implies idempotence and acks=all; stated so a reader does not have to know that.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        // With a commit every few tens of ms, the next transaction often starts while the broker still completes
        // the last one (CONCURRENT_TRANSACTIONS); the default 100 ms retry backoff would add that to a hop.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 10);
        return props;
    }
}
