package io.jobpipe.worker.kafka;

import io.jobpipe.worker.config.WorkerProperties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.HashMap;
import java.util.Map;

/** Client settings of the worker, in one place so the reasons sit next to the values. */
public final class KafkaClientConfigs {
    /** The share group of every worker replica: {@code <namespace>jobpipe-agent-worker}. */
    public static final String GROUP_SUFFIX = "jobpipe-agent-worker";

    private KafkaClientConfigs() {
    }

    public static String groupId(String namespace) {
        return namespace + GROUP_SUFFIX;
    }

    /**
     * A share consumer that hands over raw bytes (so an unreadable record reaches our own handler and the
     * dead-letter topic instead of failing {@code poll}), acknowledges explicitly, and acquires at most
     * {@code maxPollRecords} records at a time so their locks do not run out while earlier ones are handled.
     */
    public static Map<String, Object> shareConsumer(String bootstrapServers, String groupId, String clientId,
                                                    WorkerProperties worker) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        config.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, worker.maxPollRecords());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    /**
     * Idempotent, {@code acks=all}. Timeouts stay well inside the share lock: a result that cannot be
     * written in {@code sendTimeout} is better released for redelivery than acknowledged late.
     */
    public static Map<String, Object> producer(String bootstrapServers, WorkerProperties worker) {
        long send = Math.max(5_000, worker.sendTimeout().toMillis());
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "agent-worker-results");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(30_000, send / 2));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) send);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, send / 2);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }
}
