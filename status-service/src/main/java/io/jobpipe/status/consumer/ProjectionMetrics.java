package io.jobpipe.status.consumer;

import io.jobpipe.status.store.BatchResult;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The projection's meters (Prometheus names):
 * <ul>
 *   <li>{@code jobpipe_status_projection_lag_seconds}: histogram, from an event's {@code occurredAt} (the orchestrator's
 *       clock) to the commit of its rows, for every event new to the read model;</li>
 *   <li>{@code jobpipe_status_projection_lag_newest_seconds}: that lag for the newest event of the last committed batch
 *       (it stays put while no events arrive);</li>
 *   <li>{@code jobpipe_status_events_projected_total{outcome}}: events read, {@code applied}, {@code duplicate} (seen
 *       before) or {@code skipped} (unreadable or rejected); {@code jobpipe_status_projection_seq_gaps_total};</li>
 *   <li>{@code jobpipe_status_projection_unwritten_jobs}: jobs whose latest progress their rows do not show yet (the
 *       projector writes a running job's rows at most once per {@code progress-delay}); it falls to zero on a quiet
 *       topic, and one that only grows means the rows cannot be written.</li>
 * </ul>
 * The counts are {@link ProjectionState}'s, the ones {@code /health} shows, read at scrape time.
 */
@Singleton
public class ProjectionMetrics {
    static final String LAG = "jobpipe.status.projection.lag";
    static final String NEWEST_LAG = "jobpipe.status.projection.lag.newest";
    static final String EVENTS_PROJECTED = "jobpipe.status.events.projected";
    static final String SEQ_GAPS = "jobpipe.status.projection.seq.gaps";
    static final String UNWRITTEN_JOBS = "jobpipe.status.projection.unwritten.jobs";

    private final MeterRegistry registry;
    private final Timer lag;
    private final AtomicLong newestLagNanos = new AtomicLong();
    private final Clock clock;

    public ProjectionMetrics(MeterRegistry registry, ProjectionState state) {
        this(registry, state, Clock.systemUTC());
    }

    ProjectionMetrics(MeterRegistry registry, ProjectionState state, Clock clock) {
        this.clock = clock;
        this.registry = registry;
        this.lag = Timer.builder(LAG)
                .description("From a job event's occurredAt to the commit of its read-model rows")
                .register(registry);
        Gauge.builder(NEWEST_LAG, newestLagNanos, nanos -> nanos.get() / 1e9)
                .description("Projection lag of the newest event of the last committed batch")
                .baseUnit("seconds")
                .register(registry);
        counter(registry, state, "applied", ProjectionState::applied);
        counter(registry, state, "duplicate", ProjectionState::duplicates);
        counter(registry, state, "skipped", ProjectionState::skipped);
        FunctionCounter.builder(SEQ_GAPS, state, ProjectionState::gaps)
                .description("Events that arrived with a seq above the next one expected")
                .register(registry);
    }

    /** Reports {@code unwrittenJobs} (read at scrape time) as the count of jobs whose rows lag their events. */
    void watchUnwrittenJobs(Supplier<Number> unwrittenJobs) {
        Gauge.builder(UNWRITTEN_JOBS, unwrittenJobs)
                .description("Jobs whose latest projected progress is not written to their rows yet")
                .register(registry);
    }

    /** The rows of {@code result}'s new events are committed now: records each one's lag. */
    void committed(BatchResult result) {
        Instant now = clock.instant();
        Instant newest = null;
        for (Instant occurredAt : result.appliedOccurredAt()) {
            lag.record(lagNanos(occurredAt, now), TimeUnit.NANOSECONDS);
            if (newest == null || occurredAt.isAfter(newest)) {
                newest = occurredAt;
            }
        }
        if (newest != null) {
            newestLagNanos.set(lagNanos(newest, now));
        }
    }

    /** Clocks of different hosts disagree by a little; an event "from the future" has no lag, not a negative one. */
    private static long lagNanos(Instant occurredAt, Instant committedAt) {
        return Math.max(0, Duration.between(occurredAt, committedAt).toNanos());
    }

    private static void counter(MeterRegistry registry, ProjectionState state, String outcome,
                                java.util.function.ToDoubleFunction<ProjectionState> count) {
        FunctionCounter.builder(EVENTS_PROJECTED, state, count)
                .description("Job events the projection read, by what became of them")
                .tag("outcome", outcome)
                .register(registry);
    }
}
