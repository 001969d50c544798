package io.jobpipe.status.rebuild;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.status.TestEvents;
import io.jobpipe.testing.KafkaFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The job events topic's history, written and cut as the rebuild tests need it. */
final class TopicHistory {
    private TopicHistory() {
    }

    /** Sends the events and returns, per partition, the offset after the last one sent there. */
    static Map<TopicPartition, Long> send(Topics topics, List<JobEvent> events) throws Exception {
        Map<TopicPartition, Long> after = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = ReadModelRebuildTest.producer()) {
            for (JobEvent event : events) {
                RecordMetadata sent = producer.send(new ProducerRecord<>(topics.jobEvents.name(), event.jobId(),
                        TestEvents.json(event).getBytes(StandardCharsets.UTF_8))).get();
                after.put(new TopicPartition(sent.topic(), sent.partition()), sent.offset() + 1);
            }
        }
        return after;
    }

    /** What retention does to a topic: every record before these offsets is deleted. */
    static void deleteBefore(Map<TopicPartition, Long> ends) throws Exception {
        Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
        ends.forEach((partition, end) -> delete.put(partition, RecordsToDelete.beforeOffset(end)));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaFixture.shared().bootstrapServers()))) {
            admin.deleteRecords(delete).all().get();
        }
    }
}
