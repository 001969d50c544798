package io.jobpipe.runtime.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A stretch of {@code jobpipe.job.events} read {@code read_committed}: {@link #markEnd} notes where each partition
 * ends before the load (as {@code read_committed} sees it: the last stable offset), {@link #readFrom} later reads
 * everything committed from there to the end as it is then. Assigned partitions, no group, nothing committed.
 */
public final class JobEventsRange {
    private JobEventsRange() {
    }

    /** Each partition's current end for a {@code read_committed} reader. */
    public static Map<TopicPartition, Long> markEnd(String bootstrapServers, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrapServers)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            // Assigned first: a read_committed consumer asked for the end of partitions it does not hold warns
            // "Not updating last stable offset … no longer assigned" for each.
            consumer.assign(partitions);
            return new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
        }
    }

    /**
     * Hands every record from {@code start} to the current end to {@code sink} (key, value as JSON), partition by
     * partition in offset order. Returns the number of records read; a value that is not JSON is skipped.
     */
    public static long readFrom(String bootstrapServers, Map<TopicPartition, Long> start, BiConsumer<String, JsonNode> sink) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrapServers)) {
            List<TopicPartition> assigned = List.copyOf(start.keySet());
            consumer.assign(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, Duration.ofSeconds(30));
            start.forEach(consumer::seek);
            long read = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!reached(consumer, end) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    read++;
                    try {
                        sink.accept(record.key(), Json.MAPPER.readTree(record.value()));
                    } catch (IOException e) {
                        // not a JobEvent; the bench counts those, the audit only looks at jobs
                    }
                }
            }
            if (!reached(consumer, end)) {
                throw new IllegalStateException("could not read the job events up to " + end + " within 2 min");
            }
            return read;
        }
    }

    private static boolean reached(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey(), Duration.ofSeconds(30)) >= e.getValue());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist (is jobpipe running?)");
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "jobpipe-chaos-audit",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new StringDeserializer(), new ByteArrayDeserializer());
    }
}
