package io.jobpipe.status.ops;

import io.jobpipe.core.event.OpsCommand;
import io.jobpipe.core.kafka.Topic;
import io.jobpipe.testing.KafkaFixture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads everything on the ops command topic, read_committed, as the orchestrator would. */
public final class CommandTopicReader implements AutoCloseable {
    private final KafkaConsumer<String, OpsCommand> consumer;
    private final List<ConsumerRecord<String, OpsCommand>> seen = new ArrayList<>();

    public CommandTopicReader(Topic<OpsCommand> topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.shared().bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(topic.name(), Duration.ofSeconds(10))) {
            partitions.add(new TopicPartition(p.topic(), p.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Every record read so far, after one more poll. */
    public List<ConsumerRecord<String, OpsCommand>> poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        return List.copyOf(seen);
    }

    /** The commands of {@code jobId} read so far, after one more poll. */
    public List<OpsCommand> commandsOf(String jobId) {
        return poll().stream().filter(r -> jobId.equals(r.key())).map(ConsumerRecord::value).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
