package io.jobpipe.status.stats;

import io.micronaut.core.annotation.Introspected;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /stats}: the jobs created in {@code [from, to)}, per pipeline and stage, and how many each webhook
 * connection brought in.
 */
@Introspected
public record StatsReport(String window, Instant from, Instant to, List<PipelineStats> pipelines,
                          List<ConnectionStats> connections) {

    /** Jobs ingest accepted from one connection in the window, and how many of them ended in failure. */
    @Introspected
    public record ConnectionStats(String connection, long jobs, long failed, long deadLettered) {
    }
}
