package io.jobpipe.status.consumer;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The two offset moves of status's consumer loops: commit past a stored batch, or rewind to re-read a failed one. */
public final class ConsumerOffsets {
    private ConsumerOffsets() {
    }

    /** The offsets to commit once {@code records} are stored: one past the last of each partition. */
    public static <K, V> Map<TopicPartition, OffsetAndMetadata> next(ConsumerRecords<K, V> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<K, V>> inPartition = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(inPartition.get(inPartition.size() - 1).offset() + 1));
        }
        return offsets;
    }

    /** Seeks each still-assigned partition of {@code records} back to its first record, so the batch is read again. */
    public static <K, V> void rewind(Consumer<K, V> consumer, ConsumerRecords<K, V> records) {
        for (TopicPartition partition : records.partitions()) {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, records.records(partition).get(0).offset());
            }
        }
    }
}
