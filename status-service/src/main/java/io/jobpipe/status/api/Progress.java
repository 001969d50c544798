package io.jobpipe.status.api;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobStatus;
import io.jobpipe.status.projection.JobView;
import io.jobpipe.status.projection.StageStatus;
import io.micronaut.core.annotation.Introspected;

import java.time.Instant;
import java.util.Optional;

/**
 * {@code progress} of {@code GET /jobs/{id}}: the latest heartbeat of the attempt now running, so a long stage shows
 * it is alive and how far it got (seed 002: a seven-agent run that looked dead while it worked).
 *
 * @param message  what the agent said ({@code "page 3 of 7"}), or the worker's "still running after N s"
 * @param at       when the heartbeat arrived
 * @param deadline when the attempt times out unless another heartbeat or its result comes
 */
@Introspected
public record Progress(String stage, int attempt, String message, Instant at, Instant deadline) {

    /** The progress of the running attempt of a job in {@code state}, from the job's latest heartbeat; else null. */
    public static Progress of(JobView job, Optional<JobEvent.StageProgress> latest) {
        String currentStage = job.currentStage();
        Integer currentAttempt = job.currentAttempt();
        boolean attemptRuns = job.state() == JobStatus.RUNNING && currentStage != null && currentAttempt != null
                && job.stage(currentStage).map(s -> s.status() == StageStatus.RUNNING).orElse(false);
        if (!attemptRuns) {
            return null;
        }
        return latest.filter(p -> p.stage().equals(currentStage) && p.attempt() == currentAttempt)
                .map(p -> new Progress(p.stage(), p.attempt(), p.message(), p.occurredAt(), p.deadline()))
                .orElse(null);
    }
}
