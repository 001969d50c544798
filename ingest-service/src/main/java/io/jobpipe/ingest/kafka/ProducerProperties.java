package io.jobpipe.ingest.kafka;

import io.jobpipe.ingest.config.ProducerSettings;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The job-request producer's configuration, kept pure so its guarantees are unit-tested. */
public final class ProducerProperties {
    /** Room for the JobRequested envelope around a body of the maximum size. */
    static final int ENVELOPE_ALLOWANCE_BYTES = 64 * 1024;
    private static final int KAFKA_DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

    private ProducerProperties() {
    }

    public static Map<String, Object> of(String bootstrapServers, String clientId, ProducerSettings settings,
                                         long maxBodyBytes) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        // A 2xx promises the request is replicated and written once, even if the producer retries.
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, millis(settings.linger()));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis(settings.maxBlock()));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(settings.requestTimeout()));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis(settings.deliveryTimeout()));
        // The producer checks the uncompressed size; the broker's own limit applies to the compressed batch.
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                (int) Math.max(KAFKA_DEFAULT_MAX_REQUEST_SIZE, Math.min(Integer.MAX_VALUE, maxBodyBytes + ENVELOPE_ALLOWANCE_BYTES)));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // Ingest writes one topic only: keep its metadata for good so a send never waits to fetch it again.
        props.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, (int) Duration.ofDays(1).toMillis());
        return props;
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }
}
