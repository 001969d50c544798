package io.jobpipe.status.breaker;

import io.jobpipe.core.breaker.BreakerState;
import io.jobpipe.core.kafka.Topic;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.status.config.ProjectionProperties;
import io.jobpipe.status.consumer.AssignedTopicReader;
import io.jobpipe.status.consumer.PoisonCopies;
import io.jobpipe.support.config.TopicsProperties;
import io.jobpipe.support.kafka.KafkaClientConfigs;
import io.jobpipe.support.kafka.TopicProvisioning;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
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
public class BreakerTopicReader implements AssignedTopicReader.Reader {
    private static final Logger LOG = LoggerFactory.getLogger(BreakerTopicReader.class);
    /** New partitions of the topic are looked for this often (it has one; an operator may add some). */
    static final Duration PARTITION_CHECK = Duration.ofSeconds(30);

    private final BreakerBoard board;
    private final Topic<BreakerState> topic;
    private final PoisonCopies poison;
    private final AssignedTopicReader loop;

    public BreakerTopicReader(BreakerBoard board, Topics topics, TopicsProperties topicsProperties,
                              TopicProvisioning provisioning, PoisonCopies poison, ProjectionProperties config,
                              KafkaClientConfigs kafka) {
        this.board = board;
        this.topic = topics.breakers;
        this.poison = poison;
        this.loop = new AssignedTopicReader("jobpipe-status-breakers",
                topicsProperties.namespace() + "jobpipe-status-breakers", topic.name(),
                AssignedTopicReader.Start.BEGINNING, this, kafka, provisioning, config.pollTimeout(), PARTITION_CHECK,
                Map.of());
    }

    @EventListener
    void onStartup(StartupEvent event) {
        loop.start();
    }

    @PreDestroy
    void close() {
        loop.close();
    }

    @Override
    public void assigned(int partitions) {
        LOG.info("reading the breakers' states from {}", topic.name());
    }

    @Override
    public void missing() {
        LOG.warn("topic {} does not exist (yet); every breaker is shown closed until it does", topic.name());
    }

    @Override
    public void failed(RuntimeException failure) {
        LOG.warn("reading {} failed ({}); reading it again from the beginning", topic.name(), failure.toString());
    }

    @Override
    public void read(ConsumerRecords<String, byte[]> records) {
        records.forEach(this::readOne);
    }

    private void readOne(ConsumerRecord<String, byte[]> record) {
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
}
