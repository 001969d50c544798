package io.jobpipe.ingest.support;

import io.jobpipe.core.kafka.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * Reads a job-keyed topic the way the orchestrator would (read_committed, its own group) from a marked position, so
 * each test sees exactly the records its own requests produced.
 */
public class TopicTail<V> implements AutoCloseable {
    private final KafkaConsumer<String, V> consumer;
    private final List<TopicPartition> partitions;
    private final List<ConsumerRecord<String, V>> received = new ArrayList<>();

    public TopicTail(String bootstrapServers, Topic<V> topic) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "ingest-test-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // A fetch parks at the broker this long when there is nothing new, and every other request on the
                // connection (endOffsets below) waits behind it: 500 ms by default, half a second per check.
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        this.partitions = consumer.partitionsFor(topic.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        markEnd();
    }

    /** Forgets what was read and starts after the last record now on the topic. */
    public void markEnd() {
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        received.clear();
    }

    /**
     * Every record written since {@link #markEnd()}, read until the one for {@code jobId} has arrived and then up
     * to the end of every partition, so a record written earlier to another partition cannot be missed.
     */
    public List<ConsumerRecord<String, V>> readThrough(String jobId) {
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(() -> {
            pollOnce();
            return received.stream().anyMatch(r -> jobId.equals(r.key()));
        });
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(() -> {
            if (readUpTo(ends)) {
                return true;
            }
            pollOnce();
            return readUpTo(ends);
        });
        return List.copyOf(received);
    }

    private boolean readUpTo(Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private void pollOnce() {
        consumer.poll(Duration.ofMillis(100)).forEach(received::add);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
