package io.jobpipe.status.consumer;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.status.config.ProjectionProperties;
import io.jobpipe.status.store.BatchResult;
import io.jobpipe.status.store.EventLogFields;
import io.jobpipe.status.store.IncomingEvent;
import io.jobpipe.status.store.JobEventProjector;
import io.jobpipe.support.config.TopicsProperties;
import io.jobpipe.support.kafka.KafkaClientConfigs;
import io.jobpipe.support.kafka.KafkaClientDefaults;
import io.jobpipe.support.kafka.TopicProvisioning;
import io.jobpipe.support.logging.LogContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Feeds the read model from the job history.
 * <ul>
 *   <li>Input: {@code <namespace>jobpipe.job.events}; key = jobId, value = JobEvent JSON, header {@code traceparent};
 *       group {@code <namespace>jobpipe-status}, {@code read_committed} (the orchestrator writes with EOS).</li>
 *   <li>Output: rows of {@code jobs}, {@code job_stages}, {@code job_events}, and {@code NOTIFY jobpipe_job_events}.</li>
 *   <li>Failure route: a record that is not a valid JobEvent is copied to {@code jobpipe.poison}, logged and
 *       skipped. If the database is
 *       unavailable the batch is rewound and retried with backoff (nothing is skipped). If the database or the
 *       rules reject one event every time, the batch is replayed one event per transaction and that event alone
 *       is logged and skipped, so no partition stalls.</li>
 *   <li>Tracing: one span per event read, a child of its record's {@code traceparent} ({@link ProjectionSpans}).</li>
 * </ul>
 *
 * <p>A plain consumer loop rather than {@code @KafkaListener(batch = true)}: the guarantee rests on the order
 * "database commit, then offset commit" and on "a failed batch is re-read from its first offset", and in
 * {@link StoringPollLoop} (shared with the dead-letter consumer) both are a few visible lines instead of the
 * interplay of micronaut-kafka's offset and error strategies in batch mode. Each poll is one batch, projected in
 * ONE transaction; offsets are committed synchronously only after it commits. A crash in between redelivers the
 * batch, which the projection recognises and ignores.
 */
@Singleton
@Requires(property = "jobpipe.status.projection.enabled", notEquals = "false")
public class JobEventConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(JobEventConsumer.class);

    private final JobEventProjector projector;
    private final ProjectionState state;
    private final Topics topics;
    private final JobEventDecoder decoder;
    private final ProjectionSpans spans;
    private final Map<String, Object> consumerConfig;
    private final TopicProvisioning provisioning;
    /**
     * How far back, in events, a job without a row is looked for at startup: a job gets its row within the progress
     * delay of its first event, so only the newest events can belong to one (100,000: ten seconds at 10,000 events/s).
     */
    static final int LAGGING_LOOKBACK = 100_000;
    private final ProjectionMetrics metrics;
    private final StoringPollLoop<String, byte[]> loop;

    public JobEventConsumer(JobEventProjector projector, ProjectionProperties config, ProjectionState state,
                            Topics topics, TopicsProperties topicsProperties, TopicProvisioning provisioning,
                            KafkaClientConfigs kafka, Tracer tracer,
                            ProjectionMetrics metrics, PoisonCopies poison) {
        this.projector = projector;
        this.metrics = metrics;
        metrics.watchUnwrittenJobs(projector::unwrittenJobs);
        this.state = state;
        this.topics = topics;
        this.decoder = new JobEventDecoder(topics.jobEvents, poison);
        this.spans = new ProjectionSpans(tracer);
        this.provisioning = provisioning;
        this.consumerConfig = consumerConfig(kafka, topicsProperties.namespace() + "jobpipe-status",
                config.maxPollRecords());
        this.loop = new StoringPollLoop<>("jobpipe-status-projection", config, this::projectAndCommit,
                new StoringPollLoop.Observer() {
                    @Override
                    public void running(boolean running) {
                        state.running(running);
                    }

                    @Override
                    public void polled(int assignedPartitions) {
                        state.polled(assignedPartitions);
                    }

                    @Override
                    public void failed(RuntimeException failure) {
                        state.failed(failure);
                    }
                },
                // A quiet topic still gets running jobs' progress into their rows, progress-delay late.
                projector::writeDueProgress);
    }

    /** Values stay raw bytes until the decoder, so an unreadable event is skipped rather than failing the poll. */
    static Map<String, Object> consumerConfig(KafkaClientConfigs kafka, String groupId, int maxPollRecords) {
        Map<String, Object> settings = new HashMap<>(KafkaClientDefaults.projectionConsumer(maxPollRecords));
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return kafka.consumer(groupId, groupId + "-" + ProcessHandle.current().pid(), settings);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        start();
    }

    synchronized void start() {
        provisioning.ensureTopics();
        writeLaggingRows();
        loop.start(new KafkaConsumer<>(consumerConfig), List.of(topics.jobEvents.name()));
        LOG.info("projecting {} into PostgreSQL as group {}", topics.jobEvents.name(),
                consumerConfig.get(ConsumerConfig.GROUP_ID_CONFIG));
    }

    /**
     * Before the first poll: rows that a stopped projector left behind its stored events (a crash loses the progress
     * it had not written yet). Not needed for correctness (every read of one job folds its events), and a failure
     * here (the database away) is logged, not fatal: each such job's next event writes it too.
     */
    private void writeLaggingRows() {
        try {
            int written = projector.writeLaggingRows(LAGGING_LOOKBACK);
            if (written > 0) {
                LOG.info("wrote the rows of {} jobs whose stored events ran past them (a projector stopped before"
                        + " writing its waiting progress)", written);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not look for jobs whose rows lag their events ({}); each is written with its next event",
                    e.toString());
        }
    }

    @PreDestroy
    void close() {
        loop.close();
        try {
            // Not needed for correctness (a restart folds the stored events on), but the rows are then up to date.
            projector.writeAllProgress(true);
        } catch (RuntimeException e) {
            LOG.warn("the progress of {} running jobs was not written to their rows at shutdown ({}); each is"
                    + " written with its next event", projector.unwrittenJobs(), e.toString());
        }
    }

    private void projectAndCommit(ConsumerRecords<String, byte[]> records) {
        List<IncomingEvent> batch = new ArrayList<>(records.count());
        List<Span> eventSpans = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            decoder.decode(record).ifPresent(event -> {
                batch.add(event);
                eventSpans.add(spans.start(record, event));
            });
        }
        try {
            projectDecoded(records, batch);
        } catch (RuntimeException e) {
            ProjectionSpans.fail(eventSpans, e);
            throw e;
        } finally {
            ProjectionSpans.end(eventSpans);
        }
    }

    private void projectDecoded(ConsumerRecords<String, byte[]> records, List<IncomingEvent> batch) {
        int skipped = records.count() - batch.size();
        BatchResult result = batch.isEmpty() ? BatchResult.empty() : projectBatch(batch);
        metrics.committed(result);
        skipped += batch.size() - result.applied() - result.duplicates();
        state.committed(result.applied(), result.duplicates(), result.gaps(), skipped);
        if (LOG.isDebugEnabled()) {
            LOG.debug("projected {} new, {} repeated, {} skipped events of {} jobs", result.applied(),
                    result.duplicates(), skipped, result.jobIds().size());
        }
    }

    private BatchResult projectBatch(List<IncomingEvent> batch) {
        try {
            return projector.project(batch);
        } catch (RuntimeException e) {
            if (FailureKind.of(e) == FailureKind.TRANSIENT) {
                throw e;
            }
            LOG.warn("a batch of {} events was rejected ({}); projecting them one by one to find the culprit",
                    batch.size(), e.toString());
            return projectOneByOne(batch);
        }
    }

    private BatchResult projectOneByOne(List<IncomingEvent> batch) {
        int applied = 0;
        int duplicates = 0;
        int gaps = 0;
        List<String> jobIds = new ArrayList<>();
        List<Instant> appliedOccurredAt = new ArrayList<>();
        for (IncomingEvent event : batch) {
            Optional<BatchResult> one = projectOne(event);
            if (one.isPresent()) {
                applied += one.get().applied();
                duplicates += one.get().duplicates();
                gaps += one.get().gaps();
                jobIds.addAll(one.get().jobIds());
                appliedOccurredAt.addAll(one.get().appliedOccurredAt());
            }
        }
        return new BatchResult(applied, duplicates, gaps, new HashSet<>(jobIds), appliedOccurredAt);
    }

    private Optional<BatchResult> projectOne(IncomingEvent event) {
        try {
            return Optional.of(projector.project(List.of(event)));
        } catch (RuntimeException e) {
            if (FailureKind.of(e) == FailureKind.TRANSIENT) {
                throw e;
            }
            try (LogContext ignored = EventLogFields.of(event)) {
                LOG.error("skipping {} of job {} seq {} ({}): the read model rejects it: {}", event.type(),
                        event.event().jobId(), event.event().seq(), event.origin(), e.toString());
            }
            return Optional.empty();
        }
    }

}
