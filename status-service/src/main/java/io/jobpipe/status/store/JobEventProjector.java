package io.jobpipe.status.store;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.status.projection.JobProjectionRules;
import io.jobpipe.status.projection.JobView;
import io.jobpipe.status.projection.StageView;
import io.jobpipe.support.logging.LogContext;
import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * all its events, one locking read of its jobs and one of their stages, one JDBC batch per table written, and
 * one statement for all notifications. Events are applied in batch order, so each job's seq rules hold as before.
 */
@Singleton
public class JobEventProjector {
    public static final String CHANNEL = "jobpipe_job_events";
    /** Held exclusively by {@code ReadModelRebuild} for its whole run; every batch takes it shared. */
    public static final long REBUILD_LOCK = 0x6a6f627069706502L;
    private static final Logger LOG = LoggerFactory.getLogger(JobEventProjector.class);

    private final JobRepository jobs;
    private final StageRepository stages;
    private final ConnectionOperations<Connection> connections;

    public JobEventProjector(JobRepository jobs, StageRepository stages, ConnectionOperations<Connection> connections) {
        this.jobs = jobs;
        this.stages = stages;
        this.connections = connections;
    }

    @Transactional
    public BatchResult project(List<IncomingEvent> batch) {
        return project(batch, true);
    }

    /** {@link #project} for the rebuild itself, which holds the rebuild lock and must not wait for it. */
    @Transactional
    public BatchResult projectWhileRebuilding(List<IncomingEvent> batch) {
        return project(batch, false);
    }

    private BatchResult project(List<IncomingEvent> batch, boolean live) {
        Connection connection = connections.getConnectionStatus().getConnection();
        Set<EventKey> inserted;
        try {
            if (live) {
                // Shared: projectors never wait for each other here, only for a rebuild (which holds it exclusively).
                ProjectionStatements.awaitNoRebuild(connection);
            }
            inserted = ProjectionStatements.insertNewEvents(connection, batch);
        } catch (SQLException e) {
            throw new DataAccessException("cannot insert " + batch.size() + " job events", e);
        }
        // The new events in batch order, each once: their feed positions follow this order.
        List<EventKey> newInOrder = batch.stream().map(ProjectionStatements::keyOf).filter(inserted::contains)
                .distinct().toList();
        Map<String, Working> touched = load(batch.stream().filter(e -> inserted.contains(ProjectionStatements.keyOf(e)))
                .map(e -> e.event().jobId()).collect(Collectors.toCollection(LinkedHashSet::new)));
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
        try {
            persist(connection, touched.values());
            ProjectionStatements.notifyEach(connection, CHANNEL, touched.keySet());
            // Last: its lock is held until the commit that follows.
            ProjectionStatements.appendFeed(connection, newInOrder);
        } catch (SQLException e) {
            throw new DataAccessException("cannot write the read model of " + touched.size() + " jobs", e);
        }
        return new BatchResult(applied, duplicates, gaps, touched.keySet(), appliedOccurredAt);
    }

    /** The jobs' rows as they are now, locked for this transaction; a job without a row starts empty. */
    private Map<String, Working> load(Set<String> jobIds) {
        Map<String, Working> touched = new LinkedHashMap<>();
        if (jobIds.isEmpty()) {
            return touched;
        }
        Map<String, JobEntity> rows = jobs.findAllByIdForUpdate(jobIds).stream()
                .collect(Collectors.toMap(JobEntity::jobId, Function.identity()));
        Map<String, List<StageEntity>> stageRows = rows.isEmpty() ? Map.of()
                : stages.findByJobIds(rows.keySet()).stream().collect(Collectors.groupingBy(s -> s.id().jobId()));
        for (String jobId : jobIds) {
            JobEntity row = rows.get(jobId);
            if (row == null) {
                touched.put(jobId, new Working(null, Map.of()));
                continue;
            }
            JobView view = JobRows.toView(row, stageRows.getOrDefault(jobId, List.of()));
            touched.put(jobId, new Working(view, view.stages().stream()
                    .collect(Collectors.toMap(StageView::name, Function.identity()))));
        }
        return touched;
    }

    private void persist(Connection connection, Collection<Working> touched) throws SQLException {
        List<JobEntity> newJobs = new ArrayList<>();
        List<JobEntity> changedJobs = new ArrayList<>();
        List<StageEntity> newStages = new ArrayList<>();
        List<StageEntity> changedStages = new ArrayList<>();
        for (Working job : touched) {
            JobView view = job.current;
            if (view.equals(job.loaded)) {
                continue;
            }
            (job.loaded == null ? newJobs : changedJobs).add(JobRows.toEntity(view));
            for (StageView stage : view.stages()) {
                StageView before = job.loadedStages.get(stage.name());
                if (before == null) {
                    newStages.add(JobRows.toEntity(view.jobId(), stage));
                } else if (!before.equals(stage)) {
                    changedStages.add(JobRows.toEntity(view.jobId(), stage));
                }
            }
        }
        // Jobs first: a stage row references its job.
        ProjectionStatements.writeJobs(connection, newJobs, changedJobs);
        ProjectionStatements.writeStages(connection, newStages, changedStages);
    }

    /** A job's rows as loaded at the start of the batch, and as the batch's events leave them. */
    private static final class Working {
        final JobView loaded;
        final Map<String, StageView> loadedStages;
        JobView current;

        Working(JobView loaded, Map<String, StageView> loadedStages) {
            this.loaded = loaded;
            this.loadedStages = loadedStages;
            this.current = loaded;
        }
    }
}
