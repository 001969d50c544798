package io.jobpipe.status.breaker;

import io.jobpipe.core.breaker.BreakerState;
import io.jobpipe.core.kafka.Topic;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.status.config.ProjectionProperties;
import io.jobpipe.status.consumer.PoisonCopies;
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
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps {@link BreakerBoard} up to date.
 * <ul>
 *   <li>Input: {@code <namespace>jobpipe.breakers} (compacted, one partition), key = {@code <pipeline>/<stage>},
 *       value = {@link BreakerState} JSON; every partition assigned (no group membership, no offsets committed), read
 *       from the beginning on every start and then continuously, {@code read_committed} (the orchestrator writes it
 *       in its exactly-once transactions).</li>
 *   <li>Output: the board; a tombstone (null value) forgets the breaker, which is then closed.</li>
 *   <li>Failure route: a record that is not a BreakerState of its key is copied to {@code jobpipe.poison}
 *       ({@link PoisonCopies}) and skipped. If Kafka fails the consumer, it is made again after a pause and reads
 *       the topic from the beginning again (later records replace earlier ones, so the board ends the same).</li>
 * </ul>
 * On unless {@code jobpipe.status.breakers.enabled=false} (tests of the API without Kafka): a replica that serves the
 * API without projecting still needs it, or it would show every breaker closed.
 */
@Singleton
@Requires(property = "jobpipe.status.breakers.enabled", notEquals = "false")
public class BreakerTopicReader {
    private static final Logger LOG = LoggerFactory.getLogger(BreakerTopicReader.class);

    private final BreakerBoard board;
    private final Topic<BreakerState> topic;
    private final TopicProvisioning provisioning;
    private final PoisonCopies poison;
    private final ProjectionProperties config;
    private final Map<String, Object> consumerConfig;
    private volatile boolean closed;
    private volatile Consumer<String, byte[]> consumer;
    private Thread thread;

    public BreakerTopicReader(BreakerBoard board, Topics topics, TopicsProperties topicsProperties,
                              TopicProvisioning provisioning, PoisonCopies poison, ProjectionProperties config,
                              KafkaClientConfigs kafka) {
        this.board = board;
        this.topic = topics.breakers;
        this.provisioning = provisioning;
        this.poison = poison;
        this.config = config;
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        // Values stay bytes until decoded here, so an unreadable one cannot make poll() throw.
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // The partitions are assigned, never subscribed: the group id only names the client in broker logs.
        String groupId = topicsProperties.namespace() + "jobpipe-status-breakers";
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
        thread = new Thread(this::run, "jobpipe-status-breakers");
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
            // Ends a pause between attempts too.
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
                if (!assignAll(kafkaConsumer)) {
                    pause(failures++);
                    continue;
                }
                LOG.info("reading the breakers' states from {}", topic.name());
                while (!closed) {
                    kafkaConsumer.poll(config.pollTimeout()).forEach(this::read);
                    failures = 0;
                }
            } catch (WakeupException e) {
                // close() woke the poll: leave the loop.
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.warn("reading {} failed ({}); reading it again from the beginning", topic.name(), e.toString());
                    pause(failures++);
                }
            } finally {
                consumer = null;
            }
        }
    }

    /** Assigns every partition of the topic from its beginning; false while the topic does not exist. */
    private boolean assignAll(Consumer<String, byte[]> kafkaConsumer) {
        List<PartitionInfo> partitions = kafkaConsumer.partitionsFor(topic.name(), Duration.ofSeconds(10));
        if (partitions == null || partitions.isEmpty()) {
            LOG.warn("topic {} does not exist (yet); every breaker is shown closed until it does", topic.name());
            return false;
        }
        List<TopicPartition> assigned = partitions.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        kafkaConsumer.assign(assigned);
        kafkaConsumer.seekToBeginning(assigned);
        return true;
    }

    private void read(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                board.forget(record.key());
            }
            return;
        }
        BreakerState state;
        try {
            state = topic.valueSerde().deserializer().deserialize(record.topic(), record.headers(), record.value());
            if (state == null || !state.breaker().equals(record.key())) {
                throw new SerializationException("key " + record.key() + " is not the breaker of its value "
                        + (state == null ? null : state.breaker()));
            }
        } catch (RuntimeException e) {
            LOG.error("skipping {}-{}@{}: not a BreakerState of its key {}: {}", record.topic(), record.partition(),
                    record.offset(), record.key(), e.toString());
            copyToPoison(record, e);
            return;
        }
        board.put(state);
    }

    private void copyToPoison(ConsumerRecord<String, byte[]> record, Exception reason) {
        try {
            poison.copy(record, reason);
        } catch (KafkaException e) {
            // Nothing is committed here: the record is read again (and copied) on the next start.
            LOG.error("could not copy {}-{}@{} to the poison topic: {}", record.topic(), record.partition(),
                    record.offset(), e.toString());
        }
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
