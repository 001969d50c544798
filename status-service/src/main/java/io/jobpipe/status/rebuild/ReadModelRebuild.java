package io.jobpipe.status.rebuild;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.status.consumer.JobEventDecoder;
import io.jobpipe.status.store.BatchResult;
import io.jobpipe.status.store.IncomingEvent;
import io.jobpipe.status.store.JobEventProjector;
import io.jobpipe.support.kafka.KafkaClientConfigs;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Consumer;

/**
 * Rebuilds the read model from {@code jobpipe.job.events}: empties the projected tables (jobs, stages, events, feed),
 * then projects every record of the topic from its beginning to the end it had when the rebuild began, through the
 * same {@link JobEventProjector} the live projection uses, so the tables come out as the live projection would
 * have made them. Dead-letter records and ops operations are other topics' and stay.
 *
 * <p>Safe beside running status replicas: the rebuild holds the rebuild lock exclusively for its whole run, and
 * every live batch takes it shared, so live projection waits (its batches fail on their socket timeout and are
 * retried) and afterwards finds the events up to the rebuild's end already stored (repeats, skipped) and projects
 * the rest. Reads answer from the emptied, then refilling tables meanwhile.
 */
@Singleton
public class ReadModelRebuild {
    private static final Logger LOG = LoggerFactory.getLogger(ReadModelRebuild.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /**
     * How far apart a job's creation time (its first event's, on the orchestrator's clock) and the time of the
     * record holding it may be: the send's delay, clocks of orchestrator replicas.
     */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    private static final Duration READ_START_BUDGET = Duration.ofSeconds(30);
    private static final int CUT_JOBS_SHOWN = 5;

    private final DataSource dataSource;
    private final JobEventProjector projector;
    private final Topics topics;
    private final KafkaClientConfigs kafka;
    private final JobEventDecoder decoder;

    public ReadModelRebuild(DataSource dataSource, JobEventProjector projector, Topics topics, KafkaClientConfigs kafka) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.projector = projector;
        this.topics = topics;
        this.kafka = kafka;
        // Unreadable records were copied to the poison topic when the live projection met them; not again.
        this.decoder = new JobEventDecoder(topics.jobEvents, (record, reason) -> LOG.warn(
                "skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                reason.getMessage()));
    }

    /** What a rebuild did. */
    public record Report(long records, long applied, long repeated, long skipped, Duration took) {
    }

    /** A rebuild that refuses to run when the topic no longer holds its whole history ({@link HistoryGone}). */
    public Report rebuild(Consumer<String> progress) {
        return rebuild(progress, false);
    }

    /**
     * Empties the read model and projects the topic again. The tables come out as the live projection made them only
     * if the topic still holds every event of every job the read model keeps: a partition whose first offset is above 0
     * lost its oldest records to the topic's retention (Kafka's default deletes after 7 days), and a kept job that
     * began there would be gone from the read model after the rebuild, or cut. So a cut partition in which such a job
     * may have begun ({@link #keptJobsCut}) refuses the rebuild, before anything is emptied, unless
     * {@code allowPartial}; one whose lost part held only jobs the read model deleted too does not.
     *
     * @throws HistoryGone when events of jobs the read model keeps are gone and {@code allowPartial} is false (nothing
     *                     was changed)
     */
    public Report rebuild(Consumer<String> progress, boolean allowPartial) {
        long start = System.nanoTime();
        History history = history();
        List<CutPartition> cuts = history.cuts();
        if (!cuts.isEmpty()) {
            String what = topics.jobEvents.name() + " no longer holds its whole history: " + cuts.stream()
                    .map(CutPartition::describe).collect(Collectors.joining(", "))
                    + " (deleted by the topic's retention, or by hand)";
            List<String> cutJobs = keptJobsCut(history);
            if (cutJobs.isEmpty()) {
                progress.accept(what + "; every job the read model keeps began after that, so the rebuild keeps them"
                        + " all. Jobs whose events are partly gone and that the read model had deleted already come"
                        + " back (a SEQ GAP is logged for each) until its retention deletes them again");
            } else if (!allowPartial) {
                throw new HistoryGone(what + "; jobs the read model keeps began before that (" + (cutJobs.size()
                        == CUT_JOBS_SHOWN ? "the oldest of them: " : "") + String.join(", ", cutJobs)
                        + "), and a rebuild would drop them or cut their start. Nothing was changed. Rebuild"
                        + " from what is left with --allow-partial, or keep the topic's retention.ms (-1 keeps"
                        + " everything) longer than the read model's (JOBPIPE_STATUS_RETENTION) so that it does not"
                        + " happen again.");
            } else {
                progress.accept("WARNING " + what + "; rebuilding from what is left (--allow-partial): jobs whose"
                        + " events are gone will be missing, or incomplete where only their first events are gone (a SEQ"
                        + " GAP is logged for each)");
            }
        }
        try (Connection lockHolder = dataSource.getConnection()) {
            try (PreparedStatement lock = lockHolder.prepareStatement("SELECT pg_advisory_lock(?)")) {
                lock.setLong(1, JobEventProjector.REBUILD_LOCK);
                progress.accept("waiting for live projection batches to finish");
                lock.execute();
            }
            try {
                empty(progress);
                // What the projector kept of the old rows is worthless now (its versions are gone with them).
                projector.forgetAll();
                Report report = replay(progress, start);
                // The rows of the jobs still running get their last progress, so the tables are what a live
                // projection leaves once it has caught up.
                projector.writeAllProgress(false);
                progress.accept(String.format("rebuilt: %d records, %d events applied, %d repeated, %d unreadable"
                                + " skipped, in %.1f s", report.records(), report.applied(), report.repeated(),
                        report.skipped(), report.took().toMillis() / 1000.0));
                return report;
            } finally {
                try (PreparedStatement unlock = lockHolder.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    unlock.setLong(1, JobEventProjector.REBUILD_LOCK);
                    unlock.execute();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the rebuild could not use PostgreSQL: " + e.getMessage(), e);
        }
    }

    /**
     * A partition whose oldest records are gone: its first offset, and its first record's time with the jobs whose
     * first event (seq 1) it holds within {@link #CLOCK_SKEW} of it; no time when no record is left.
     */
    record CutPartition(int partition, long firstOffset, Instant firstRecordAt, Set<String> startedSoonAfter) {
        String describe() {
            return "partition " + partition + " starts at offset " + firstOffset
                    + (firstRecordAt == null ? " and holds no record" : ", a record of " + firstRecordAt);
        }
    }

    /** The topic's partitions (how many), and each whose oldest records are gone (first offset above 0). */
    record History(int partitions, List<CutPartition> cuts) {
    }

    private History history() {
        try (KafkaConsumer<String, byte[]> consumer = consumer("jobpipe-status-rebuild-check-")) {
            List<TopicPartition> partitions = assignAll(consumer);
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<CutPartition> cuts = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                if (beginning.get(partition) > 0) {
                    cuts.add(readStart(consumer, partition, beginning.get(partition), end.get(partition)));
                }
            }
            cuts.sort(Comparator.comparingInt(CutPartition::partition));
            return new History(partitions.size(), cuts);
        }
    }

    /**
     * The partition's first record's time, and the jobs whose first event it holds up to {@link #CLOCK_SKEW} later:
     * those began after the cut even if the read model says they began a moment before the first record's time.
     */
    private CutPartition readStart(KafkaConsumer<String, byte[]> consumer, TopicPartition partition, long first,
                                   long end) {
        consumer.assign(List.of(partition));
        consumer.seek(partition, first);
        Instant firstRecordAt = null;
        Set<String> started = new HashSet<>();
        long deadline = System.nanoTime() + READ_START_BUDGET.toNanos();
        read:
        while (consumer.position(partition) < end && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                Instant at = Instant.ofEpochMilli(record.timestamp());
                if (firstRecordAt == null) {
                    firstRecordAt = at;
                } else if (at.isAfter(firstRecordAt.plus(CLOCK_SKEW))) {
                    break read;
                }
                JobEventDecoder.usable(topics.jobEvents, record)
                        .filter(event -> event.event().seq() == 1)
                        .ifPresent(event -> started.add(event.event().jobId()));
            }
        }
        return new CutPartition(partition.partition(), first, firstRecordAt, started);
    }

    /**
     * Up to {@link #CUT_JOBS_SHOWN} jobs the read model keeps whose first events may be gone from a cut partition: in
     * that partition (by the producer's own partitioner for a keyed record), created no later than {@link #CLOCK_SKEW}
     * after its first record, and not seen starting there. A job's events are all in its partition, in order, so a
     * job whose first event is still there lost nothing. Rows are read oldest first, so a refusal stops early.
     */
    private List<String> keptJobsCut(History history) {
        List<CutPartition> cuts = history.cuts();
        Map<Integer, CutPartition> byPartition = new HashMap<>();
        cuts.forEach(cut -> byPartition.put(cut.partition(), cut));
        Instant latest = cuts.stream().map(cut -> cut.firstRecordAt() == null ? Instant.now() : cut.firstRecordAt())
                .max(Comparator.naturalOrder()).orElseThrow().plus(CLOCK_SKEW);
        List<String> cutJobs = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT job_id, created_at FROM jobs WHERE created_at <= ? ORDER BY created_at")) {
                select.setFetchSize(1_000);
                select.setObject(1, latest.atOffset(ZoneOffset.UTC));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next() && cutJobs.size() < CUT_JOBS_SHOWN) {
                        String jobId = rows.getString(1);
                        CutPartition cut = byPartition.get(BuiltInPartitioner.partitionForKey(
                                jobId.getBytes(StandardCharsets.UTF_8), history.partitions()));
                        if (cut == null || cut.startedSoonAfter().contains(jobId)) {
                            continue;
                        }
                        Instant created = rows.getObject(2, OffsetDateTime.class).toInstant();
                        if (cut.firstRecordAt() == null || !created.isAfter(cut.firstRecordAt().plus(CLOCK_SKEW))) {
                            cutJobs.add(jobId);
                        }
                    }
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the rebuild could not read the read model's jobs: " + e.getMessage(), e);
        }
        return cutJobs;
    }

    /** A consumer of the job events topic that commits nothing and reads only committed transactions. */
    private KafkaConsumer<String, byte[]> consumer(String clientPrefix) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(kafka.consumer(null, clientPrefix + ProcessHandle.current().pid(), settings));
    }

    /**
     * Assigns every partition of the job events topic to {@code consumer} (offsets of partitions not assigned make the
     * client warn about each) and returns them.
     */
    private List<TopicPartition> assignAll(KafkaConsumer<String, byte[]> consumer) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topics.jobEvents.name())) {
            partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
        consumer.assign(partitions);
        return partitions;
    }

    /** The topic's oldest records are gone: a rebuild would not give the tables back. */
    public static final class HistoryGone extends IllegalStateException {
        HistoryGone(String message) {
            super(message);
        }
    }

    private void empty(Consumer<String> progress) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE job_events, job_stages, jobs RESTART IDENTITY");
        }
        progress.accept("emptied jobs, job_stages and job_events");
    }

    private Report replay(Consumer<String> progress, long start) {
        String name = topics.jobEvents.name();
        try (KafkaConsumer<String, byte[]> consumer = consumer("jobpipe-status-rebuild-")) {
            List<TopicPartition> partitions = assignAll(consumer);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions);
            long total = partitions.stream().mapToLong(p -> end.get(p) - beginning.get(p)).sum();
            // Offsets, not records: a transactional producer's commit markers take offsets too.
            progress.accept("replaying " + name + ": " + total + " offsets in " + partitions.size() + " partitions");
            long records = 0;
            long applied = 0;
            long repeated = 0;
            long skipped = 0;
            long lastReport = System.nanoTime();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                ConsumerRecords<String, byte[]> polled = consumer.poll(POLL);
                List<IncomingEvent> batch = new ArrayList<>(polled.count());
                for (ConsumerRecord<String, byte[]> record : polled) {
                    if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue;
                    }
                    records++;
                    decoder.decode(record).ifPresent(batch::add);
                }
                if (!batch.isEmpty()) {
                    BatchResult result = projector.projectWhileRebuilding(batch);
                    applied += result.applied();
                    repeated += result.duplicates();
                    skipped += batch.size() - result.applied() - result.duplicates();
                }
                skipped += polled.count() - batch.size() - countBeyond(polled, end);
                if (System.nanoTime() - lastReport > Duration.ofSeconds(5).toNanos()) {
                    long done = partitions.stream().mapToLong(p -> consumer.position(p) - beginning.get(p)).sum();
                    progress.accept(String.format("replayed %d records, %d of %d offsets (%.0f%%)", records, done,
                            total, total == 0 ? 100.0 : done * 100.0 / total));
                    lastReport = System.nanoTime();
                }
            }
            return new Report(records, applied, repeated, skipped, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private static long countBeyond(ConsumerRecords<String, byte[]> polled, Map<TopicPartition, Long> end) {
        long beyond = 0;
        for (ConsumerRecord<String, byte[]> record : polled) {
            if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                beyond++;
            }
        }
        return beyond;
    }
}
