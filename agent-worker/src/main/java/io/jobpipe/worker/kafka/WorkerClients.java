package io.jobpipe.worker.kafka;

import io.jobpipe.support.kafka.KafkaClientConfigs;
import io.jobpipe.support.kafka.KafkaClientDefaults;
import io.jobpipe.worker.config.WorkerProperties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.HashMap;
import java.util.Map;

/**
 * The worker's Kafka clients: service-support's defaults for their role plus the worker's wiring. Both hand
 * over raw bytes, so an unreadable record reaches our own handler and the poison topic instead of failing
 * {@code poll}, and the publishers serialise themselves.
 */
public final class WorkerClients {
    /** The share group of every worker replica: {@code <namespace>jobpipe-agent-worker}. */
    public static final String GROUP_SUFFIX = "jobpipe-agent-worker";

    private WorkerClients() {
    }

    public static String groupId(String namespace) {
        return namespace + GROUP_SUFFIX;
    }

    public static Map<String, Object> resultProducer(KafkaClientConfigs kafka, WorkerProperties worker) {
        Map<String, Object> settings = new HashMap<>(KafkaClientDefaults.stageResultProducer(worker.sendTimeout()));
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return kafka.producer("agent-worker-results", settings);
    }

    public static Map<String, Object> shareConsumer(KafkaClientConfigs kafka, String groupId, String clientId,
                                                    WorkerProperties worker) {
        return shareConsumer(kafka, groupId, clientId, worker.maxPollRecords());
    }

    /** A share consumer that acquires at most {@code maxPollRecords} per poll. */
    public static Map<String, Object> shareConsumer(KafkaClientConfigs kafka, String groupId, String clientId,
                                                    int maxPollRecords) {
        Map<String, Object> settings = new HashMap<>(KafkaClientDefaults.stageShareConsumer(maxPollRecords));
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return kafka.shareConsumer(groupId, clientId, settings);
    }
}
