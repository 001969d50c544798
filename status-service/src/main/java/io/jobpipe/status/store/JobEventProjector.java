package io.jobpipe.status.store;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobStatus;
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
import java.util.HashSet;
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
 * job's seq rules hold as before. Events are inserted with a plain insert; only after one met an event stored
 * already (a batch redelivered after a crash or a rebalance) with the insert that skips stored events, until a
 * batch finds none.
 * <p>
 * The jobs a batch touches are usually the ones the batch before touched, so their views come from a
 * {@link JobViewCache} (bounded by {@code jobpipe.status.projection.cache-size}) and only the rest are read, without
 * locks. Instead, an update applies only to a row still at the version the batch started from; when another writer
 * (a second replica after a rebalance, a rebuild, retention) changed one, the batch is rolled back, its jobs are
 * forgotten, and it is projected again from the rows.
 * <p>
 * A job's rows are written late, by design. A job that comes to rest (finished, or held by a breaker) or leaves
 * such a state is written at once. Every other change (a new job, its start, its current stage and attempt, its
 * stage rows) waits in {@link UnwrittenProgress} until it is {@code progress-delay} old, then goes with a later
 * batch, or with {@link #writeDueProgress} when the topic is quiet. So a job's rows are written once or twice in its
 * life, plus once per delay while it runs, where they were written once per batch it appeared in. Nothing is lost:
 * the events are stored in the batch's transaction as always, and whoever needs one job exactly
 * ({@code GET /jobs/{id}}, a stream's start, a read-your-writes wait, this projector after a restart) folds the events
 * after its row's last seq onto its rows, or all its events while it has none ({@link ProjectionStatements#readJobs}).
 * Listings, stats and exports read the rows: they show a new job and a running job's progress up to the delay late,
 * a job's end and its holds at once.
 */
@Singleton
public class JobEventProjector {
    public static final String CHANNEL = "jobpipe_job_events";
    /** Held exclusively by {@code ReadModelRebuild} for its whole run; every batch takes it shared. */
    public static final long REBUILD_LOCK = 0x6a6f627069706502L;
    /** Tries of a batch whose rows someone else changed meanwhile; each retry reads them afresh. */
    static final int ATTEMPTS = 3;
    /** Jobs read and written per transaction when rows that lag are caught up. */
    private static final int LAGGING_PER_WRITE = 500;
    private static final Logger LOG = LoggerFactory.getLogger(JobEventProjector.class);

    private final TransactionOperations<Connection> transactions;
    private final JobViewCache cache;
    private final UnwrittenProgress unwritten = new UnwrittenProgress();
    private final long progressDelayNanos;
    /** A plain insert met a stored event: batches check each event until one finds none stored. */
    private volatile boolean expectRepeats;

    public JobEventProjector(TransactionOperations<Connection> transactions, ProjectionProperties config) {
        this.transactions = transactions;
        // No one job may take more than a 64th of the room.
        this.cache = new JobViewCache(config.cacheSize(), config.cacheSize() / 64);
        this.progressDelayNanos = config.progressDelay().toNanos();
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

    /** How many running jobs have progress that their rows do not show yet, for metrics and tests. */
    public int unwrittenJobs() {
        return unwritten.size();
    }

    /**
     * Writes the rows of the jobs whose unwritten progress is {@code progress-delay} old: what the live loop does
     * when a poll brings no events (a batch takes them along otherwise). Returns how many jobs it wrote.
     */
    public int writeDueProgress() {
        return writeProgress(unwritten.due(System.nanoTime(), progressDelayNanos, Set.of()), true);
    }

    /**
     * Writes every job's unwritten progress, however recent: at the end of a rebuild ({@code live} false: it holds
     * the rebuild lock), of a bench round, of the live projection. Returns how many jobs it wrote.
     */
    public int writeAllProgress(boolean live) {
        return writeProgress(unwritten.all(), live);
    }

    /**
     * Writes the rows of the jobs whose stored events run past their rows: what a projector that stopped without
     * writing its waiting progress (a crash, a kill) left behind. Reads of one job are exact regardless; this puts
     * listings, stats and exports right without waiting for each job's next event, which a job in a long stage may
     * not have for minutes. It looks at every job not at rest, and at the jobs without a row among the newest
     * {@code recentEvents} events (a job has its row within {@code progress-delay} of its first event, unless the
     * projector stopped meanwhile). Returns how many jobs it wrote.
     */
    public int writeLaggingRows(int recentEvents) {
        List<String> lagging = transactions.executeRead(status -> {
            try {
                return ProjectionStatements.laggingJobs(status.getConnection(), recentEvents);
            } catch (SQLException e) {
                throw new DataAccessException("cannot look for jobs whose rows lag their events", e);
            }
        });
        int written = 0;
        for (int from = 0; from < lagging.size(); from += LAGGING_PER_WRITE) {
            written += writeFolded(lagging.subList(from, Math.min(lagging.size(), from + LAGGING_PER_WRITE)));
        }
        return written;
    }

    /** Reads the jobs with their newer events folded on and writes what changed, in one transaction. */
    private int writeFolded(List<String> jobIds) {
        try {
            Projected projected = transactions.executeWrite(status -> {
                try {
                    Connection connection = status.getConnection();
                    ProjectionStatements.awaitNoRebuild(connection);
                    List<Working> jobs = ProjectionStatements.readJobs(connection, jobIds, Set.of()).values().stream()
                            .filter(job -> !job.current().equals(job.written()))
                            .map(job -> new Working(job.written(), job.version(), job.current(), 0L))
                            .toList();
                    return written(BatchResult.empty(), jobs, persist(connection, jobs), List.of());
                } catch (SQLException e) {
                    throw new DataAccessException("cannot write the rows of " + jobIds.size() + " jobs", e);
                }
            });
            remember(projected);
            return projected.written().size();
        } catch (ProjectionStatements.RowsChanged e) {
            LOG.info("not writing {} lagging jobs: {} (another projector wrote them meanwhile)", jobIds.size(),
                    e.getMessage());
            forget(Set.copyOf(jobIds));
            return 0;
        }
    }

    /** Forgets every job it keeps: their rows are about to be replaced (a rebuild empties the tables). */
    public void forgetAll() {
        cache.clear();
        unwritten.clear();
    }

    /**
     * One transaction per try. The cache and the unwritten progress learn the batch's outcome only after its commit,
     * and forget the batch's jobs when a try fails, so they never hold what the database does not.
     */
    private BatchResult projectRetrying(List<IncomingEvent> batch, boolean live) {
        boolean checked = expectRepeats;
        for (int attempt = 1; ; attempt++) {
            Projected projected;
            boolean checkedTry = checked;
            try {
                projected = transactions.executeWrite(status -> project(status.getConnection(), batch, live,
                        checkedTry));
            } catch (ProjectionStatements.RepeatedEvents e) {
                // Not a failed try: part of the batch is stored already. Project it again, skipping what is.
                LOG.info("a batch of {} events repeats stored ones (a redelivery); projecting it again, skipping"
                        + " those", batch.size());
                expectRepeats = true;
                checked = true;
                attempt--;
                continue;
            } catch (ProjectionStatements.RowsChanged e) {
                forget(jobIdsOf(batch));
                if (attempt == ATTEMPTS) {
                    throw new DataAccessException("the rows of a batch's jobs kept changing under it (" + ATTEMPTS
                            + " tries)", new SQLTransientException(e.getMessage(), e));
                }
                LOG.info("projecting a batch again from the rows: {} (another projector or a rebuild wrote them)",
                        e.getMessage());
                continue;
            } catch (RuntimeException e) {
                forget(jobIdsOf(batch));
                throw e;
            }
            if (checkedTry && projected.result().duplicates() == 0) {
                expectRepeats = false;
            }
            remember(projected);
            return projected.result();
        }
    }

    /** After a commit: the written jobs' views as their rows now are, and the deferred jobs' progress. */
    private void remember(Projected projected) {
        projected.views().forEach(job -> cache.put(job.view(), job.version()));
        unwritten.remove(projected.written());
        projected.deferred().forEach(unwritten::put);
    }

    private void forget(Set<String> jobIds) {
        cache.invalidate(jobIds);
        // Their rows may have changed under this projector: their next batch reads them and folds their events.
        unwritten.remove(jobIds);
    }

    private static Set<String> jobIdsOf(List<IncomingEvent> batch) {
        return batch.stream().map(e -> e.event().jobId()).collect(Collectors.toSet());
    }

    /**
     * Writes {@code due} (and nothing else) in a transaction of its own. A row that someone else changed since means
     * the job is theirs now (a rebalance, a rebuild): such jobs are forgotten, not written.
     */
    private int writeProgress(List<UnwrittenProgress.Entry> due, boolean live) {
        if (due.isEmpty()) {
            return 0;
        }
        List<Working> jobs = due.stream().map(Working::new).toList();
        Set<String> jobIds = jobs.stream().map(job -> job.current.jobId()).collect(Collectors.toSet());
        try {
            Projected projected = transactions.executeWrite(status -> {
                try {
                    if (live) {
                        ProjectionStatements.awaitNoRebuild(status.getConnection());
                    }
                    return written(BatchResult.empty(), jobs, persist(status.getConnection(), jobs), List.of());
                } catch (SQLException e) {
                    throw new DataAccessException("cannot write the progress of " + jobs.size() + " jobs", e);
                }
            });
            remember(projected);
            return jobs.size();
        } catch (ProjectionStatements.RowsChanged e) {
            LOG.info("not writing the progress of {} jobs: {} (another projector or a rebuild wrote them)",
                    jobs.size(), e.getMessage());
            forget(jobIds);
            return 0;
        }
    }

    /**
     * What a committed transaction did; its jobs' views with their rows' versions for the cache; the jobs whose
     * rows it wrote; the jobs whose progress it left unwritten.
     */
    private record Projected(BatchResult result, List<ProjectionStatements.VersionedJob> views, Set<String> written,
                             List<UnwrittenProgress.Entry> deferred) {
    }

    private Projected project(Connection connection, List<IncomingEvent> batch, boolean live, boolean checked) {
        Set<EventKey> inserted;
        Map<String, Working> touched;
        try {
            Map<String, Working> loaded;
            if (checked) {
                if (live) {
                    // Shared: projectors never wait for each other here, only for a rebuild (it holds it exclusively).
                    ProjectionStatements.awaitNoRebuild(connection);
                }
                ProjectionStatements.lockFeed(connection);
                // Which events are new is known after the insert: the jobs are read then, less the batch's own, and
                // the jobs that got new events are notified (at commit).
                inserted = ProjectionStatements.insertNewEvents(connection, batch, true);
                Map<String, Long> firstNewSeq = firstSeqs(batch, inserted);
                loaded = load(connection, firstNewSeq, Set.copyOf(inserted));
                ProjectionStatements.notifyEach(connection, CHANNEL, firstNewSeq.keySet());
            } else {
                // Every event is new, or the insert fails: the locks and every job's notification in one statement,
                // then the jobs, read before the insert with every stored event.
                ProjectionStatements.lockAndNotify(connection, live, CHANNEL, jobIdsOf(batch));
                loaded = load(connection, firstSeqs(batch, null), Set.of());
                inserted = ProjectionStatements.insertNewEvents(connection, batch, false);
            }
            // The jobs that got new events: a batch that only repeats a job's events leaves it alone.
            touched = new TreeMap<>();
            for (IncomingEvent event : batch) {
                if (inserted.contains(ProjectionStatements.keyOf(event))) {
                    touched.putIfAbsent(event.event().jobId(), loaded.get(event.event().jobId()));
                }
            }
        } catch (SQLException e) {
            throw new DataAccessException("cannot insert " + batch.size() + " job events", e);
        }
        int applied = 0;
        int duplicates = 0;
        int gaps = 0;
        List<Instant> appliedOccurredAt = new ArrayList<>();
        for (IncomingEvent incoming : batch) {
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
                    try (LogContext ignored = EventLogFields.of(incoming)) {
                        LOG.error("SEQ GAP in job {}: expected seq {} but got {} ({} {}); events {}..{} are missing "
                                        + "from the projection", event.jobId(), lastSeq + 1, event.seq(), incoming.type(),
                                incoming.origin(), lastSeq + 1, event.seq() - 1);
                    }
                }
                case STALE -> {
                    try (LogContext ignored = EventLogFields.of(incoming)) {
                        LOG.warn("job {}: seq {} ({} {}) arrived after seq {}; kept in the history, not applied",
                                event.jobId(), event.seq(), incoming.type(), incoming.origin(), lastSeq);
                    }
                }
                case NEXT -> {
                }
            }
            job.current = JobProjectionRules.apply(job.current, event, incoming.traceId());
            applied++;
            appliedOccurredAt.add(event.occurredAt());
            if (event.terminal() && LOG.isInfoEnabled()) {
                // The log context only around a line that is written: opened and closed for every event, it was ten
                // MDC reads and writes each, 16 times per job.
                try (LogContext ignored = EventLogFields.of(incoming)) {
                    LOG.info("job {} in the read model, {} ms after it happened", job.current.state(),
                            Math.max(0, System.currentTimeMillis() - event.occurredAt().toEpochMilli()));
                }
            }
        }
        long now = System.nanoTime();
        List<Working> toWrite = new ArrayList<>();
        List<UnwrittenProgress.Entry> deferred = new ArrayList<>();
        for (Working job : touched.values()) {
            if (job.current.equals(job.loaded)) {
                continue;
            }
            if (job.sinceNanos == null) {
                job.sinceNanos = now;
            }
            if (writeNow(job, now)) {
                toWrite.add(job);
            } else {
                deferred.add(new UnwrittenProgress.Entry(job.loaded, job.version, job.current, job.sinceNanos));
            }
        }
        // Other jobs' progress that has waited long enough goes with this batch: no transaction of its own.
        List<Working> everyJob = new ArrayList<>(touched.values());
        for (UnwrittenProgress.Entry entry : unwritten.due(now, progressDelayNanos, touched.keySet())) {
            Working job = new Working(entry);
            toWrite.add(job);
            everyJob.add(job);
        }
        BatchResult result = new BatchResult(applied, duplicates, gaps, touched.keySet(), appliedOccurredAt);
        try {
            Map<String, Long> versions = persist(connection, toWrite);
            return written(result, everyJob, versions, deferred);
        } catch (SQLException e) {
            throw new DataAccessException("cannot write the read model of " + toWrite.size() + " jobs", e);
        }
    }

    /**
     * Whether a changed job's rows are written in this transaction: when it rests (finished or held: dead-letter and
     * held views, retention, and a stream's end read that from the row), when it leaves a rest (a replay, a release),
     * and when its oldest unwritten change has waited {@code progress-delay}.
     */
    private boolean writeNow(Working job, long now) {
        return rests(job.current.state())
                || (job.loaded != null && rests(job.loaded.state()) && job.loaded.state() != job.current.state())
                || now - job.sinceNanos >= progressDelayNanos;
    }

    private static boolean rests(JobStatus state) {
        return state.terminal() || state == JobStatus.HELD;
    }

    /**
     * The outcome to remember after the commit: each job's view with its row's new version (or the version it had,
     * for a job whose rows it did not write), the jobs written, the progress deferred.
     */
    private static Projected written(BatchResult result, Collection<Working> jobs, Map<String, Long> versions,
                                     List<UnwrittenProgress.Entry> deferred) {
        List<ProjectionStatements.VersionedJob> views = new ArrayList<>();
        Set<String> deferredIds = deferred.stream().map(entry -> entry.current().jobId()).collect(Collectors.toSet());
        for (Working job : jobs) {
            String jobId = job.current.jobId();
            Long version = versions.get(jobId);
            if (version != null) {
                views.add(new ProjectionStatements.VersionedJob(job.current, version));
            } else if (job.version != null && !deferredIds.contains(jobId) && job.current.equals(job.loaded)) {
                views.add(new ProjectionStatements.VersionedJob(job.current, job.version));
            }
        }
        return new Projected(result, views, new HashSet<>(versions.keySet()), deferred);
    }

    /** Each job's lowest seq in the batch, among the events {@code inserted} (all of them when null). */
    private static Map<String, Long> firstSeqs(List<IncomingEvent> batch, Set<EventKey> inserted) {
        Map<String, Long> firstSeq = new LinkedHashMap<>();
        for (IncomingEvent event : batch) {
            if (inserted == null || inserted.contains(ProjectionStatements.keyOf(event))) {
                firstSeq.merge(event.event().jobId(), event.event().seq(), Math::min);
            }
        }
        return firstSeq;
    }

    /**
     * The jobs as the batch finds them ({@code firstSeq}: each job's lowest new seq in the batch): from the unwritten
     * progress or the cache when it has a copy that the batch continues, else read from their rows with their stored
     * events after the rows' last seq folded on, less the batch's own ({@code skip}); a job with neither rows nor
     * events starts empty. A copy the batch does not continue (seq 4 kept, seq 8 next) means another projector wrote
     * the job meanwhile, so its rows are read rather than a gap reported. Nothing is locked: the batch's updates apply
     * only to rows still at these versions.
     */
    private Map<String, Working> load(Connection connection, Map<String, Long> firstSeq, Set<EventKey> skip)
            throws SQLException {
        Map<String, Working> jobs = new LinkedHashMap<>();
        List<String> misses = new ArrayList<>();
        firstSeq.forEach((jobId, seq) -> {
            UnwrittenProgress.Entry pending = unwritten.get(jobId);
            if (pending != null) {
                if (pending.current().lastSeq() + 1 == seq) {
                    jobs.put(jobId, new Working(pending));
                } else {
                    misses.add(jobId);
                }
                return;
            }
            cache.get(jobId)
                    .filter(entry -> entry.view().lastSeq() + 1 == seq)
                    .ifPresentOrElse(entry -> jobs.put(jobId, new Working(entry.view(), entry.version(),
                                    entry.view(), null)),
                            () -> misses.add(jobId));
        });
        Map<String, ProjectionStatements.StoredJob> read = misses.isEmpty() ? Map.of()
                : ProjectionStatements.readJobs(connection, misses, skip);
        for (String jobId : misses) {
            ProjectionStatements.StoredJob row = read.get(jobId);
            jobs.put(jobId, row == null ? new Working(null, null, null, null)
                    // Events folded on from the table have waited already (a restart, a rebalance): due now.
                    : new Working(row.written(), row.version(), row.current(),
                    row.current().equals(row.written()) ? null : System.nanoTime() - progressDelayNanos));
        }
        return jobs;
    }

    /** Writes the jobs that changed and returns their rows' new versions. */
    private Map<String, Long> persist(Connection connection, Collection<Working> jobs) throws SQLException {
        List<JobEntity> newJobs = new ArrayList<>();
        List<ProjectionStatements.VersionedRow> changedJobs = new ArrayList<>();
        List<StageEntity> newStages = new ArrayList<>();
        List<StageEntity> changedStages = new ArrayList<>();
        for (Working job : new TreeMap<>(jobs.stream().collect(Collectors.toMap(j -> j.current.jobId(),
                Function.identity()))).values()) {
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
        Map<String, Long> versions = ProjectionStatements.writeJobs(connection, newJobs, changedJobs);
        ProjectionStatements.writeStages(connection, newStages, changedStages);
        return versions;
    }

    /**
     * A job as its rows hold it (with the job row's version; both null for a job without a row), as the batch's
     * events leave it, and since when (System.nanoTime) it has changes its rows do not show; null: none.
     */
    private static final class Working {
        final JobView loaded;
        final Long version;
        final Map<String, StageView> loadedStages;
        JobView current;
        Long sinceNanos;

        Working(JobView loaded, Long version, JobView current, Long sinceNanos) {
            this.loaded = loaded;
            this.version = version;
            this.loadedStages = loaded == null ? Map.of() : loaded.stages().stream()
                    .collect(Collectors.toMap(StageView::name, Function.identity()));
            this.current = current;
            this.sinceNanos = sinceNanos;
        }

        Working(UnwrittenProgress.Entry pending) {
            this(pending.written(), pending.version(), pending.current(), pending.sinceNanos());
        }
    }
}
