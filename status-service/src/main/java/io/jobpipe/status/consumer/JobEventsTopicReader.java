package io.jobpipe.status.consumer;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.kafka.Topic;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.status.config.ProjectionProperties;
import io.jobpipe.status.live.TopicArrivals;
import io.jobpipe.status.store.FeedEvent;
import io.jobpipe.support.config.TopicsProperties;
import io.jobpipe.support.kafka.KafkaClientConfigs;
import io.jobpipe.support.kafka.TopicProvisioning;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code jobpipe.job.events} as it is written and hands each poll's events to {@link TopicArrivals}, so an
 * SSE stream gets an event as soon as it lands in the topic, not after the projection's batch has been stored,
 * committed and notified (under load, seconds).
 * <ul>
 *   <li>Input: every partition of {@code <namespace>jobpipe.job.events}, assigned (no group membership, no offsets
 *       committed), from its end at start, {@code read_committed} (an aborted event must never reach a stream).</li>
 *   <li>Output: {@link TopicArrivals#arrived}; nothing is stored.</li>
 *   <li>Failure route: a record that is not a usable JobEvent is skipped here without a word (the projection logs
 *       it and copies it to {@code jobpipe.poison}). If Kafka fails the consumer, it is made again after a pause and
 *       starts from the end again: events missed meanwhile reach their streams through the read model.</li>
 * </ul>
 * Every replica reads the whole topic (each serves its own streams). Off with
 * {@code jobpipe.status.live.topic-tail.enabled=false}.
 */
@Singleton
@Requires(property = "jobpipe.status.live.topic-tail.enabled", notEquals = "false")
@Requires(property = "jobpipe.status.projection.enabled", notEquals = "false")
public class JobEventsTopicReader {
    private static final Logger LOG = LoggerFactory.getLogger(JobEventsTopicReader.class);
    /** New partitions of the topic (an operator added some) are looked for this often. */
    static final Duration PARTITION_CHECK = Duration.ofSeconds(30);
    /** Short: a poll that waits blocks nothing else, but a long one delays the partition check and shutdown. */
    static final Duration POLL = Duration.ofMillis(500);

    private final TopicArrivals arrivals;
    private final Topic<JobEvent> topic;
    private final TopicProvisioning provisioning;
    private final Map<String, Object> consumerConfig;
    private volatile boolean closed;
    private volatile Consumer<String, byte[]> consumer;
    private Thread thread;

    public JobEventsTopicReader(TopicArrivals arrivals, Topics topics, TopicsProperties topicsProperties,
                                TopicProvisioning provisioning, ProjectionProperties projection,
                                KafkaClientConfigs kafka) {
        this.arrivals = arrivals;
        this.topic = topics.jobEvents;
        this.provisioning = provisioning;
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, projection.maxPollRecords());
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // The partitions are assigned, never subscribed: the group id only names the client in broker logs.
        String groupId = topicsProperties.namespace() + "jobpipe-status-live";
        this.consumerConfig = kafka.consumer(groupId, groupId + "-" + ProcessHandle.current().pid(), settings);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        start();
    }

    synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::run, "jobpipe-status-live-topic");
        thread.setDaemon(true);
        thread.start();
    }

    @PreDestroy
    synchronized void close() {
        closed = true;
        Consumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            thread.interrupt();
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
                provisioning.ensureTopics();
                Set<TopicPartition> assigned = new HashSet<>();
                if (!assignNew(kafkaConsumer, assigned)) {
                    pause(failures++);
                    continue;
                }
                LOG.info("streams get {}'s events as they are written ({} partitions, from their end)", topic.name(),
                        assigned.size());
                long nextCheck = System.nanoTime() + PARTITION_CHECK.toNanos();
                while (!closed) {
                    ConsumerRecords<String, byte[]> records = kafkaConsumer.poll(POLL);
                    if (!records.isEmpty()) {
                        arrivals.arrived(decode(records));
                    }
                    failures = 0;
                    if (System.nanoTime() > nextCheck) {
                        assignNew(kafkaConsumer, assigned);
                        nextCheck = System.nanoTime() + PARTITION_CHECK.toNanos();
                    }
                }
            } catch (WakeupException e) {
                // close() woke the poll: leave the loop.
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.warn("reading {} for live streams failed ({}); streams get their events from the read model"
                            + " until it reads again", topic.name(), e.toString());
                    pause(failures++);
                }
            } finally {
                consumer = null;
            }
        }
    }

    /** Adds the topic's partitions not assigned yet, each from its end; false while the topic does not exist. */
    private boolean assignNew(Consumer<String, byte[]> kafkaConsumer, Set<TopicPartition> assigned) {
        List<PartitionInfo> partitions = kafkaConsumer.partitionsFor(topic.name(), Duration.ofSeconds(10));
        if (partitions == null || partitions.isEmpty()) {
            return false;
        }
        List<TopicPartition> added = partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition()))
                .filter(p -> !assigned.contains(p)).toList();
        if (!added.isEmpty()) {
            assigned.addAll(added);
            kafkaConsumer.assign(assigned);
            kafkaConsumer.seekToEnd(added);
        }
        return true;
    }

    private List<TopicArrivals.Arrival> decode(ConsumerRecords<String, byte[]> records) {
        List<TopicArrivals.Arrival> decoded = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            if (record.value() == null) {
                continue;
            }
            try {
                JobEvent event = topic.valueSerde().deserializer().deserialize(record.topic(), record.headers(),
                        record.value());
                if (JobEventDecoder.missingField(event) == null) {
                    String json = new String(record.value(), StandardCharsets.UTF_8);
                    decoded.add(new TopicArrivals.Arrival(event.jobId(),
                            new FeedEvent(event.seq(), event.getClass().getSimpleName(), json)));
                }
            } catch (RuntimeException e) {
                // Not a usable JobEvent: the projection says so and copies it to the poison topic.
            }
        }
        return decoded;
    }

    private void pause(int failures) {
        try {
            Thread.sleep(provisioning.retryDelay(failures).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }
}
