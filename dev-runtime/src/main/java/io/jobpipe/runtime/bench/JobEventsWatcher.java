package io.jobpipe.runtime.bench;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.kafka.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads {@code jobpipe.job.events} (key jobId, value JobEvent JSON) into a {@link JobLedger}: every partition
 * assigned, positioned at the end BEFORE the first request is sent, {@code read_committed} because the
 * orchestrator writes in transactions. No group: nothing is committed, no rebalance can pause it.
 * An undecodable record is counted and skipped.
 */
public final class JobEventsWatcher implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final Topic<JobEvent> topic;
    private final JobLedger ledger;
    private final Thread thread;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong undecodable = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    private JobEventsWatcher(KafkaConsumer<String, byte[]> consumer, Topic<JobEvent> topic, JobLedger ledger) {
        this.consumer = consumer;
        this.topic = topic;
        this.ledger = ledger;
        this.thread = new Thread(this::pollLoop, "bench-job-events");
        this.thread.setDaemon(true);
    }

    /** Assigns every partition of {@code topic}, resolves the end offsets now, then starts reading. */
    public static JobEventsWatcher startAtEnd(String bootstrapServers, Topic<JobEvent> topic, JobLedger ledger) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "jobpipe-bench-events",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000),
                new StringDeserializer(), new ByteArrayDeserializer());
        try {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(15));
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic.name() + " does not exist (is jobpipe running?)");
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToEnd(assigned);
            // seekToEnd is lazy: position() makes the consumer look the end offsets up now, before anything is sent.
            assigned.forEach(tp -> consumer.position(tp, Duration.ofSeconds(15)));
        } catch (RuntimeException e) {
            consumer.close(Duration.ofSeconds(2));
            throw e;
        }
        JobEventsWatcher watcher = new JobEventsWatcher(consumer, topic, ledger);
        watcher.thread.start();
        return watcher;
    }

    public long records() {
        return records.get();
    }

    public long undecodable() {
        return undecodable.get();
    }

    /** The error that stopped reading, or null. */
    public Throwable failure() {
        return failure.get();
    }

    private void pollLoop() {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(100));
                long seen = System.nanoTime();
                for (ConsumerRecord<String, byte[]> record : batch) {
                    records.incrementAndGet();
                    JobEvent event;
                    try {
                        event = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
                    } catch (SerializationException e) {
                        undecodable.incrementAndGet();
                        continue;
                    }
                    if (event != null) {
                        ledger.observe(event, seen);
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop.
        } catch (Throwable e) {
            failure.set(e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
