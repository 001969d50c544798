package io.jobpipe.runtime.bench.worker;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts the records of one round on an output topic, the same way for both sides: positioned at the end before the
 * round's input is written, it reads until every expected key was seen once or the timeout passes. The rate is taken
 * between the first and the last record seen, so a side's start-up and the input's writing do not count. Only
 * successes count (the raw hop's copies, the worker's StageSucceeded); the worker's StageFailed are counted apart.
 */
final class OutputCounter implements AutoCloseable {
    /** What one round produced: distinct keys seen, and the rate between the first and the last of them. */
    record Count(int expected, int seen, int failed, long firstNanos, long lastNanos) {
        double perSecond() {
            return seen < 2 || lastNanos == firstNanos ? 0 : (seen - 1) * 1e9 / (lastNanos - firstNanos);
        }

        Duration took() {
            return Duration.ofNanos(lastNanos - firstNanos);
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;

    OutputCounter(String bootstrap, String topic) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        assigned.forEach(consumer::position);
    }

    /** Must be called before the round's input is written: the counter reads from here on. */
    void markEnd() {
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
    }

    Count await(String keyPrefix, int expected, Duration timeout) {
        Set<String> seen = new HashSet<>();
        Set<String> failed = new HashSet<>();
        long first = 0;
        long last = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (seen.size() + failed.size() < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                if (record.key() == null || !record.key().startsWith(keyPrefix)) {
                    continue;
                }
                String value = new String(record.value(), java.nio.charset.StandardCharsets.UTF_8);
                if (value.contains("\"type\":\"StageFailed\"")) {
                    // A failure is a result too, but not the work being measured: counted apart, never as throughput.
                    failed.add(record.key());
                    continue;
                }
                if (value.contains("\"type\":\"StageHeartbeat\"")) {
                    continue;
                }
                if (seen.add(record.key())) {
                    long now = System.nanoTime();
                    if (first == 0) {
                        first = now;
                    }
                    last = now;
                }
            }
        }
        return new Count(expected, seen.size(), failed.size(), first, last);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
