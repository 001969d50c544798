package io.jobpipe.status.store;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.status.projection.JobProjectionRules;
import io.jobpipe.status.projection.JobView;
import io.jobpipe.status.projection.StageView;
import io.jobpipe.support.logging.LogContext;
import io.micronaut.data.connection.ConnectionOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Writes job events into the read model, idempotently: in one transaction per batch, each event is inserted
 * into {@code job_events} unless its (jobId, seq) is already there, and only a new event is applied to
 * {@code jobs} and {@code job_stages}. The "seen" mark and its effect commit together, so a batch
 * redelivered after a crash changes nothing. Every job that got a new event is announced on the PostgreSQL
 * channel {@value #CHANNEL} (delivered at commit) so that every replica can push it to its SSE clients.
 * Lines about an event carry its {@link EventLogFields log fields}; a job reaching its end is logged at INFO.
 */
@Singleton
public class JobEventProjector {
    public static final String CHANNEL = "jobpipe_job_events";
    private static final Logger LOG = LoggerFactory.getLogger(JobEventProjector.class);

    private final JobRepository jobs;
    private final StageRepository stages;
    private final EventRepository events;
    private final ConnectionOperations<Connection> connections;

    public JobEventProjector(JobRepository jobs, StageRepository stages, EventRepository events,
                             ConnectionOperations<Connection> connections) {
        this.jobs = jobs;
        this.stages = stages;
        this.events = events;
        this.connections = connections;
    }

    @Transactional
    public BatchResult project(List<IncomingEvent> batch) {
        Map<String, Working> touched = new LinkedHashMap<>();
        int applied = 0;
        int duplicates = 0;
        int gaps = 0;
        List<Instant> appliedOccurredAt = new ArrayList<>();
        for (IncomingEvent incoming : batch) {
            try (LogContext ignored = EventLogFields.of(incoming)) {
                JobEvent event = incoming.event();
                long inserted = events.insertIfAbsent(event.jobId(), event.seq(), event.eventId(), incoming.type(),
                        event.occurredAt(), incoming.json());
                if (inserted == 0) {
                    duplicates++;
                    continue;
                }
                Working job = touched.computeIfAbsent(event.jobId(), this::load);
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
        touched.values().forEach(this::persist);
        touched.keySet().forEach(this::announce);
        return new BatchResult(applied, duplicates, gaps, touched.keySet(), appliedOccurredAt);
    }

    private Working load(String jobId) {
        Optional<JobEntity> row = jobs.findByIdForUpdate(jobId);
        if (row.isEmpty()) {
            return new Working(null, Map.of());
        }
        List<StageEntity> stageRows = stages.findByJobId(jobId);
        JobView view = JobRows.toView(row.get(), stageRows);
        return new Working(view, view.stages().stream()
                .collect(Collectors.toMap(StageView::name, Function.identity())));
    }

    private void persist(Working job) {
        JobView view = job.current;
        if (view.equals(job.loaded)) {
            return;
        }
        if (job.loaded == null) {
            jobs.save(JobRows.toEntity(view));
        } else {
            jobs.update(JobRows.toEntity(view));
        }
        for (StageView stage : view.stages()) {
            StageView before = job.loadedStages.get(stage.name());
            if (before == null) {
                stages.save(JobRows.toEntity(view.jobId(), stage));
            } else if (!before.equals(stage)) {
                stages.update(JobRows.toEntity(view.jobId(), stage));
            }
        }
    }

    private void announce(String jobId) {
        Connection connection = connections.getConnectionStatus().getConnection();
        try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, CHANNEL);
            notify.setString(2, jobId);
            notify.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot NOTIFY " + CHANNEL + " for job " + jobId, e);
        }
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
