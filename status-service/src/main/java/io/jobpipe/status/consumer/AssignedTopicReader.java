package io.jobpipe.status.consumer;

import io.jobpipe.support.kafka.KafkaClientConfigs;
import io.jobpipe.support.kafka.TopicProvisioning;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A thread that reads every partition of one topic without joining a group: assigned, no offsets committed, values
 * as bytes (decoded by the reader, so an unreadable one cannot make {@code poll()} throw), {@code read_committed}.
 * If Kafka fails the consumer, it is made again after a pause ({@link TopicProvisioning#retryDelay}) and starts over
 * from where {@link Start} says. Partitions added to the topic later are picked up every {@code partitionCheck}.
 * What is read, and what a failure means, is the {@link Reader}'s business.
 */
public final class AssignedTopicReader {
    /** Where each partition is read from, at the start and after every failure. */
    public enum Start { BEGINNING, END }

    /** What the loop tells its owner; all on the loop's thread. */
    public interface Reader {
        /** One poll's records (never empty). */
        void read(ConsumerRecords<String, byte[]> records);

        /** The topic's partitions are assigned; reading begins. */
        void assigned(int partitions);

        /** The topic does not exist (yet); the loop tries again after a pause. */
        void missing();

        /** The consumer failed; the loop makes a new one after a pause and starts over. */
        void failed(RuntimeException failure);
    }

    private final String topic;
    private final Start start;
    private final Reader reader;
    private final TopicProvisioning provisioning;
    private final Duration poll;
    private final Duration partitionCheck;
    private final Map<String, Object> consumerConfig;
    private final Thread thread;
    private volatile boolean closed;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Consumer<String, byte[]> consumer;

    /** {@code groupId} only names the client in broker logs: the partitions are assigned, never subscribed. */
    public AssignedTopicReader(String threadName, String groupId, String topic, Start start, Reader reader,
                               KafkaClientConfigs kafka,
                               TopicProvisioning provisioning, Duration poll, Duration partitionCheck,
                               Map<String, Object> extraSettings) {
        this.topic = topic;
        this.start = start;
        this.reader = reader;
        this.provisioning = provisioning;
        this.poll = poll;
        this.partitionCheck = partitionCheck;
        Map<String, Object> settings = new HashMap<>(extraSettings);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, start == Start.BEGINNING ? "earliest" : "latest");
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumerConfig = kafka.consumer(groupId, groupId + "-" + ProcessHandle.current().pid(), settings);
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    public synchronized void start() {
        if (!thread.isAlive() && !closed) {
            thread.start();
        }
    }

    /**
     * Ends the loop: a pause between attempts at once, a poll or a lookup through the consumer's wakeup. Never by an
     * interrupt: the consumer is closed on the loop's thread, and one closed by an interrupted thread cannot close its
     * fetch sessions and logs an ERROR (every stop of status logged two, one per reader, until 2026-12-05).
     */
    public synchronized void close() {
        closed = true;
        closing.countDown();
        Consumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread.isAlive()) {
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        int failures = 0;
        while (!closed) {
            try (KafkaConsumer<String, byte[]> kafkaConsumer = new KafkaConsumer<>(consumerConfig)) {
                consumer = kafkaConsumer;
                if (closed) {
                    // close() looked for a consumer before there was this one to wake.
                    break;
                }
                provisioning.ensureTopics();
                Set<TopicPartition> assigned = new HashSet<>();
                if (!assignNew(kafkaConsumer, assigned)) {
                    reader.missing();
                    pause(failures++);
                    continue;
                }
                reader.assigned(assigned.size());
                long nextCheck = System.nanoTime() + partitionCheck.toNanos();
                while (!closed) {
                    ConsumerRecords<String, byte[]> records = kafkaConsumer.poll(poll);
                    if (!records.isEmpty()) {
                        reader.read(records);
                    }
                    failures = 0;
                    if (System.nanoTime() > nextCheck) {
                        assignNew(kafkaConsumer, assigned);
                        nextCheck = System.nanoTime() + partitionCheck.toNanos();
                    }
                }
            } catch (WakeupException e) {
                // close() woke the poll: leave the loop.
            } catch (RuntimeException e) {
                if (!closed) {
                    reader.failed(e);
                    pause(failures++);
                }
            } finally {
                consumer = null;
            }
        }
    }

    /** Adds the topic's partitions not assigned yet, each from {@link #start}; false while the topic does not exist. */
    private boolean assignNew(Consumer<String, byte[]> kafkaConsumer, Set<TopicPartition> assigned) {
        List<PartitionInfo> partitions = kafkaConsumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (partitions == null || partitions.isEmpty()) {
            return false;
        }
        List<TopicPartition> added = partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition()))
                .filter(p -> !assigned.contains(p)).toList();
        if (!added.isEmpty()) {
            assigned.addAll(added);
            kafkaConsumer.assign(assigned);
            if (start == Start.BEGINNING) {
                kafkaConsumer.seekToBeginning(added);
            } else {
                kafkaConsumer.seekToEnd(added);
            }
        }
        return true;
    }

    private void pause(int failures) {
        try {
            closing.await(provisioning.retryDelay(failures).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }
}
