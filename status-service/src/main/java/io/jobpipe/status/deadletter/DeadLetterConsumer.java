package io.jobpipe.status.deadletter;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.status.config.ProjectionProperties;
import io.jobpipe.status.consumer.FailureKind;
import io.jobpipe.status.consumer.StoringPollLoop;
import io.jobpipe.status.store.DeadLetterRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.jobpipe.status.store.DeadLetterRecords;
import io.jobpipe.support.config.TopicsProperties;
import io.jobpipe.support.kafka.KafkaClientConfigs;
import io.jobpipe.support.kafka.KafkaClientDefaults;
import io.jobpipe.support.kafka.TopicProvisioning;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records every dead letter in PostgreSQL for the ops API.
 * <ul>
 *   <li>Input: {@code <namespace>jobpipe.stage.<stage>.dlq} of every stage of the pipeline catalog; key = jobId,
 *       value = the StageRequested of the last attempt (orchestrator) or the raw bytes a worker could not read,
 *       headers {@link io.jobpipe.core.kafka.DeadLetterHeaders}; group {@code <namespace>jobpipe-status-dead-letters},
 *       {@code read_committed}.</li>
 *   <li>Output: rows of {@code dead_letters}, keyed by (topic, partition, offset), so a redelivered batch adds
 *       nothing.</li>
 *   <li>Failure route: any value lands, as JSON or raw. If the database is unavailable the batch is rewound and
 *       retried with backoff. If it refuses a record every time, the batch is stored one record per statement and
 *       that record stored raw; if even that is refused, it alone is logged and skipped, so no partition stalls.</li>
 * </ul>
 * The loop is {@link StoringPollLoop}, as for the projection: database commit, then offset commit.
 */
@Singleton
@Requires(property = "jobpipe.status.projection.enabled", notEquals = "false")
public class DeadLetterConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterConsumer.class);

    private final DeadLetterRecords store;
    private final TopicProvisioning provisioning;
    private final Map<String, String> stageOfTopic = new LinkedHashMap<>();
    private final DeadLetterDecoder decoder;
    private final Map<String, Object> consumerConfig;
    private final StoringPollLoop<byte[], byte[]> loop;
    /** {@code jobpipe_dead_letters_recorded_total}: new dead-letter records stored (repeats of one are not counted). */
    static final String RECORDED = "jobpipe.dead.letters.recorded";
    private final Counter recorded;

    public DeadLetterConsumer(DeadLetterRecords store, ProjectionProperties config, Topics topics,
                              PipelineCatalog catalog, TopicsProperties topicsProperties,
                              TopicProvisioning provisioning, KafkaClientConfigs kafka, MeterRegistry registry) {
        this.store = store;
        this.recorded = Counter.builder(RECORDED).description("Dead letters recorded from the stage .dlq topics")
                .register(registry);
        this.provisioning = provisioning;
        for (String stage : catalog.allStageNames()) {
            stageOfTopic.put(topics.deadLetter(stage).name(), stage);
        }
        this.decoder = new DeadLetterDecoder(stageOfTopic);
        String groupId = topicsProperties.namespace() + "jobpipe-status-dead-letters";
        Map<String, Object> settings = new HashMap<>(KafkaClientDefaults.projectionConsumer(config.maxPollRecords()));
        // Keys too stay bytes: a worker's dead letter keeps whatever key the unreadable record had.
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumerConfig = kafka.consumer(groupId, groupId + "-" + ProcessHandle.current().pid(), settings);
        this.loop = new StoringPollLoop<>("jobpipe-status-dead-letters", config, this::store,
                new StoringPollLoop.Observer() {
                });
    }

    @EventListener
    void onStartup(StartupEvent event) {
        start();
    }

    synchronized void start() {
        provisioning.ensureTopics();
        loop.start(new KafkaConsumer<>(consumerConfig), stageOfTopic.keySet());
        LOG.info("recording dead letters of {} stages in PostgreSQL as group {}", stageOfTopic.size(),
                consumerConfig.get(ConsumerConfig.GROUP_ID_CONFIG));
    }

    @PreDestroy
    void close() {
        loop.close();
    }

    private void store(ConsumerRecords<byte[], byte[]> records) {
        List<DeadLetterRecord> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            batch.add(decoder.decode(record));
        }
        int stored = storeBatch(batch);
        recorded.increment(stored);
        LOG.info("recorded {} new dead letters ({} read)", stored, batch.size());
    }

    private int storeBatch(List<DeadLetterRecord> batch) {
        try {
            return store.save(batch);
        } catch (RuntimeException e) {
            if (FailureKind.of(e) == FailureKind.TRANSIENT) {
                throw e;
            }
            LOG.warn("a batch of {} dead letters was refused ({}); storing them one by one", batch.size(), e.toString());
            int stored = 0;
            for (DeadLetterRecord record : batch) {
                stored += storeOne(record);
            }
            return stored;
        }
    }

    private int storeOne(DeadLetterRecord record) {
        try {
            return store.save(List.of(record));
        } catch (RuntimeException e) {
            if (FailureKind.of(e) == FailureKind.TRANSIENT) {
                throw e;
            }
            try {
                return store.save(List.of(DeadLetterDecoder.raw(record)));
            } catch (RuntimeException again) {
                if (FailureKind.of(again) == FailureKind.TRANSIENT) {
                    throw again;
                }
                LOG.error("skipping dead letter {}-{}@{} of job {}: the database refuses it even raw: {}",
                        record.topic(), record.partition(), record.offset(), record.jobId(), again.toString());
                return 0;
            }
        }
    }
}
