package io.jobpipe.status.ops;

import io.jobpipe.core.kafka.Topic;
import io.jobpipe.testing.KafkaFixture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * Reads everything on a topic from the beginning, read_committed, as the orchestrator would. A value the topic's
 * serde cannot read (a test wrote garbage on purpose) is passed over.
 */
public class TopicReader<V> implements AutoCloseable {
    private final Topic<V> topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, V>> seen = new ArrayList<>();

    public TopicReader(Topic<V> topic) {
        this.topic = topic;
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.shared().bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        // A topic created a moment ago may not be in the broker's metadata yet: no partitions until it is.
        List<PartitionInfo> known = await().atMost(Duration.ofSeconds(10))
                .until(() -> consumer.partitionsFor(topic.name(), Duration.ofSeconds(10)), list -> !list.isEmpty());
        for (PartitionInfo p : known) {
            partitions.add(new TopicPartition(p.topic(), p.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Every record read so far, after one more poll. */
    public List<ConsumerRecord<String, V>> poll() {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            V value;
            try {
                value = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
            } catch (SerializationException e) {
                continue;
            }
            seen.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                    r.serializedKeySize(), r.serializedValueSize(), r.key(), value, r.headers(), r.leaderEpoch()));
        }
        return List.copyOf(seen);
    }

    /** The values of the records keyed {@code key} read so far, after one more poll. */
    public List<V> valuesOf(String key) {
        return poll().stream().filter(r -> key.equals(r.key())).map(ConsumerRecord::value).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
