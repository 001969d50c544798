package io.jobpipe.status.deadletter;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.status.config.ProjectionProperties;
import io.jobpipe.status.consumer.ConsumerOffsets;
import io.jobpipe.status.consumer.FailureKind;
import io.jobpipe.status.store.DeadLetterRecord;
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
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
 * Same loop as {@link io.jobpipe.status.consumer.JobEventConsumer}: database commit, then offset commit.
 */
@Singleton
@Requires(property = "jobpipe.status.projection.enabled", notEquals = "false")
public class DeadLetterConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterConsumer.class);

    private final DeadLetterRecords store;
    private final ProjectionProperties config;
    private final TopicProvisioning provisioning;
    private final Map<String, String> stageOfTopic = new LinkedHashMap<>();
    private final DeadLetterDecoder decoder;
    private final Map<String, Object> consumerConfig;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    public DeadLetterConsumer(DeadLetterRecords store, ProjectionProperties config, Topics topics,
                              PipelineCatalog catalog, TopicsProperties topicsProperties,
                              TopicProvisioning provisioning, KafkaClientConfigs kafka) {
        this.store = store;
        this.config = config;
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
    }

    @EventListener
    void onStartup(StartupEvent event) {
        start();
    }

    synchronized void start() {
        if (thread != null) {
            return;
        }
        provisioning.ensureTopics();
        consumer = new KafkaConsumer<>(consumerConfig);
        consumer.subscribe(List.copyOf(stageOfTopic.keySet()));
        thread = new Thread(this::run, "jobpipe-status-dead-letters");
        thread.start();
        LOG.info("recording dead letters of {} stages in PostgreSQL as group {}", stageOfTopic.size(),
                consumerConfig.get(ConsumerConfig.GROUP_ID_CONFIG));
    }

    @PreDestroy
    synchronized void close() {
        stop.countDown();
        if (thread == null) {
            return;
        }
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    private void run() {
        Duration backoff = config.retryBackoff();
        try {
            while (stop.getCount() > 0) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(config.pollTimeout());
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    storeAndCommit(records);
                    backoff = config.retryBackoff();
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    LOG.error("recording {} dead letters failed; retrying them in {} ms: {}", records.count(),
                            backoff.toMillis(), e.toString());
                    ConsumerOffsets.rewind(consumer, records);
                    if (stop.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    backoff = backoff.multipliedBy(2).compareTo(config.maxRetryBackoff()) <= 0
                            ? backoff.multipliedBy(2) : config.maxRetryBackoff();
                }
            }
        } catch (WakeupException e) {
            // close() woke the poll: leave the loop.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("dead-letter consumer stopped by an unexpected error", e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void storeAndCommit(ConsumerRecords<byte[], byte[]> records) {
        List<DeadLetterRecord> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            batch.add(decoder.decode(record));
        }
        int stored = storeBatch(batch);
        try {
            consumer.commitSync(ConsumerOffsets.next(records));
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // The rows are committed; whoever owns the partitions now re-reads the batch and finds it stored.
            LOG.warn("offsets of a recorded dead-letter batch were not committed ({}); it will be redelivered",
                    e.toString());
        }
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
