package io.jobpipe.status.store;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.status.projection.JobProjectionRules;
import io.jobpipe.status.projection.JobView;
import io.jobpipe.status.projection.StageView;
import io.jobpipe.support.logging.LogContext;
import io.jobpipe.status.config.ProjectionProperties;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Writes job events into the read model, idempotently: in one transaction per batch, each event is inserted
 * into {@code job_events} unless its (jobId, seq) is already there, and only a new event is applied to
 * {@code jobs} and {@code job_stages}. The "seen" mark and its effect commit together, so a batch
 * redelivered after a crash changes nothing. Every job that got a new event is announced on the PostgreSQL
 * channel {@value #CHANNEL} (delivered at commit) so that every replica can push it to its SSE clients.
 * Lines about an event carry its {@link EventLogFields log fields}; a job reaching its end is logged at INFO.
 * <p>
 * A batch costs a fixed handful of statements ({@link ProjectionStatements}), not a few per event: one insert of
 * all its events (which also gives each its firehose position, under a lock held until commit), one insert and one
 * update per table written, and one statement for all notifications. Events are applied in batch order, so each
 * job's seq rules hold as before.
 * <p>
 * The jobs a batch touches are usually the ones the batch before touched, so their views come from a
 * {@link JobViewCache} (bounded by {@code jobpipe.status.projection.cache-size}) and only the rest are read, without
 * locks. Instead, an update applies only to a row still at the version the batch started from; when another writer
 * (a second replica after a rebalance, a rebuild, retention) changed one, the batch is rolled back, its jobs are
 * forgotten, and it is projected again from the rows.
 */
@Singleton
public class JobEventProjector {
    public static final String CHANNEL = "jobpipe_job_events";
    /** Held exclusively by {@code ReadModelRebuild} for its whole run; every batch takes it shared. */
    public static final long REBUILD_LOCK = 0x6a6f627069706502L;
    /** Tries of a batch whose rows someone else changed meanwhile; each retry reads them afresh. */
    static final int ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(JobEventProjector.class);

    private final TransactionOperations<Connection> transactions;
    private final JobViewCache cache;

    public JobEventProjector(TransactionOperations<Connection> transactions, ProjectionProperties config) {
        this.transactions = transactions;
        // No one job may take more than a 64th of the room.
        this.cache = new JobViewCache(config.cacheSize(), config.cacheSize() / 64);
    }

    public BatchResult project(List<IncomingEvent> batch) {
        return projectRetrying(batch, true);
    }

    /** {@link #project} for the rebuild itself, which holds the rebuild lock and must not wait for it. */
    public BatchResult projectWhileRebuilding(List<IncomingEvent> batch) {
        return projectRetrying(batch, false);
    }

    /** How many jobs the projector keeps in memory, for metrics and tests. */
    public int cachedJobs() {
        return cache.size();
    }

    /**
     * One transaction per try. The cache learns the batch's views only after its commit, and forgets the batch's
     * jobs when a try fails, so it never holds what the database does not.
     */
    private BatchResult projectRetrying(List<IncomingEvent> batch, boolean live) {
        for (int attempt = 1; ; attempt++) {
            Projected projected;
            try {
                projected = transactions.executeWrite(status -> project(status.getConnection(), batch, live));
            } catch (ProjectionStatements.RowsChanged e) {
                forget(batch);
                if (attempt == ATTEMPTS) {
                    throw new DataAccessException("the rows of a batch's jobs kept changing under it (" + ATTEMPTS
                            + " tries)", new SQLTransientException(e.getMessage(), e));
                }
                LOG.info("projecting a batch again from the rows: {} (another projector or a rebuild wrote them)",
                        e.getMessage());
                continue;
            } catch (RuntimeException e) {
                forget(batch);
                throw e;
            }
            projected.views().forEach(job -> cache.put(job.view(), job.version()));
            return projected.result();
        }
    }

    private void forget(List<IncomingEvent> batch) {
        cache.invalidate(batch.stream().map(e -> e.event().jobId()).collect(Collectors.toSet()));
    }

    /** What a committed batch did, and its jobs' views with their rows' versions for the cache. */
    private record Projected(BatchResult result, List<ProjectionStatements.VersionedJob> views) {
    }

    private Projected project(Connection connection, List<IncomingEvent> batch, boolean live) {
        Set<EventKey> inserted;
        Map<String, Working> touched;
        try {
            if (live) {
                // Shared: projectors never wait for each other here, only for a rebuild (which holds it exclusively).
                ProjectionStatements.awaitNoRebuild(connection);
            }
            ProjectionStatements.lockFeed(connection);
            inserted = ProjectionStatements.insertNewEvents(connection, batch);
            Map<String, Long> firstNewSeq = new LinkedHashMap<>();
            for (IncomingEvent event : batch) {
                if (inserted.contains(ProjectionStatements.keyOf(event))) {
                    firstNewSeq.merge(event.event().jobId(), event.event().seq(), Math::min);
                }
            }
            touched = load(connection, firstNewSeq);
        } catch (SQLException e) {
            throw new DataAccessException("cannot insert " + batch.size() + " job events", e);
        }
        int applied = 0;
        int duplicates = 0;
        int gaps = 0;
        List<Instant> appliedOccurredAt = new ArrayList<>();
        for (IncomingEvent incoming : batch) {
            try (LogContext ignored = EventLogFields.of(incoming)) {
                JobEvent event = incoming.event();
                // remove(): a second copy of the same event in this batch is a repeat.
                if (!inserted.remove(ProjectionStatements.keyOf(incoming))) {
                    duplicates++;
                    continue;
                }
                Working job = touched.get(event.jobId());
                long lastSeq = job.current == null ? 0 : job.current.lastSeq();
                switch (JobProjectionRules.order(lastSeq, event.seq())) {
                    case GAP -> {
                        gaps++;
                        LOG.error("SEQ GAP in job {}: expected seq {} but got {} ({} {}); events {}..{} are missing "
                                        + "from the projection", event.jobId(), lastSeq + 1, event.seq(), incoming.type(),
                                incoming.origin(), lastSeq + 1, event.seq() - 1);
                    }
                    case STALE -> LOG.warn("job {}: seq {} ({} {}) arrived after seq {}; kept in the history, not applied",
                            event.jobId(), event.seq(), incoming.type(), incoming.origin(), lastSeq);
                    case NEXT -> {
                    }
                }
                job.current = JobProjectionRules.apply(job.current, event, incoming.traceId());
                applied++;
                appliedOccurredAt.add(event.occurredAt());
                if (event.terminal()) {
                    LOG.info("job {} in the read model, {} ms after it happened", job.current.state(),
                            Math.max(0, System.currentTimeMillis() - event.occurredAt().toEpochMilli()));
                }
            }
        }
        List<ProjectionStatements.VersionedJob> views = new ArrayList<>();
        try {
            Map<String, Long> written = persist(connection, touched.values());
            for (Working job : touched.values()) {
                Long version = written.getOrDefault(job.current.jobId(), job.version);
                if (version != null) {
                    views.add(new ProjectionStatements.VersionedJob(job.current, version));
                }
            }
            ProjectionStatements.notifyEach(connection, CHANNEL, touched.keySet());
        } catch (SQLException e) {
            throw new DataAccessException("cannot write the read model of " + touched.size() + " jobs", e);
        }
        return new Projected(new BatchResult(applied, duplicates, gaps, touched.keySet(), appliedOccurredAt), views);
    }

    /**
     * The jobs as the batch finds them ({@code firstNewSeq}: each job's lowest new seq in the batch): from the cache
     * when it has a copy that the batch continues, else read from their rows; a job without a row starts empty.
     * A copy the batch does not continue (seq 4 kept, seq 8 next) means another projector wrote the job meanwhile,
     * so its rows are read rather than a gap reported. Nothing is locked: the batch's updates apply only to rows
     * still at these versions.
     */
    private Map<String, Working> load(Connection connection, Map<String, Long> firstNewSeq) throws SQLException {
        Map<String, Working> touched = new LinkedHashMap<>();
        List<String> misses = new ArrayList<>();
        firstNewSeq.forEach((jobId, seq) -> cache.get(jobId)
                .filter(entry -> entry.view().lastSeq() + 1 == seq)
                .ifPresentOrElse(entry -> touched.put(jobId, new Working(entry.view(), entry.version())),
                        () -> misses.add(jobId)));
        Map<String, ProjectionStatements.VersionedJob> read = misses.isEmpty() ? Map.of()
                : ProjectionStatements.readJobs(connection, misses);
        for (String jobId : misses) {
            ProjectionStatements.VersionedJob row = read.get(jobId);
            touched.put(jobId, row == null ? new Working(null, null) : new Working(row.view(), row.version()));
        }
        // In job id order: rows are written, and so locked, in this order, so two projectors never deadlock.
        return new TreeMap<>(touched);
    }

    /** Writes the jobs the batch changed and returns their rows' new versions. */
    private Map<String, Long> persist(Connection connection, Collection<Working> touched) throws SQLException {
        List<JobEntity> newJobs = new ArrayList<>();
        List<ProjectionStatements.VersionedRow> changedJobs = new ArrayList<>();
        List<StageEntity> newStages = new ArrayList<>();
        List<StageEntity> changedStages = new ArrayList<>();
        for (Working job : touched) {
            JobView view = job.current;
            if (view.equals(job.loaded)) {
                continue;
            }
            if (job.loaded == null) {
                newJobs.add(JobRows.toEntity(view));
            } else {
                changedJobs.add(new ProjectionStatements.VersionedRow(JobRows.toEntity(view), job.version));
            }
            for (StageView stage : view.stages()) {
                StageView before = job.loadedStages.get(stage.name());
                if (before == null) {
                    newStages.add(JobRows.toEntity(view.jobId(), stage));
                } else if (!before.equals(stage)) {
                    changedStages.add(JobRows.toEntity(view.jobId(), stage));
                }
            }
        }
        // Jobs first: a stage row references its job, and a job's update locks its row before its stages change.
        Map<String, Long> versions = ProjectionStatements.writeJobs(connection, newJobs, changedJobs);
        ProjectionStatements.writeStages(connection, newStages, changedStages);
        return versions;
    }

    /**
     * A job as the batch found it (with its row's version; both null for a job without a row) and as the batch's
     * events leave it.
     */
    private static final class Working {
        final JobView loaded;
        final Long version;
        final Map<String, StageView> loadedStages;
        JobView current;

        Working(JobView loaded, Long version) {
            this.loaded = loaded;
            this.version = version;
            this.loadedStages = loaded == null ? Map.of() : loaded.stages().stream()
                    .collect(Collectors.toMap(StageView::name, Function.identity()));
            this.current = loaded;
        }
    }
}
