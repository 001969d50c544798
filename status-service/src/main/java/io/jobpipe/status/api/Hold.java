package io.jobpipe.status.api;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobStatus;
import io.micronaut.core.annotation.Introspected;

import java.time.Instant;
import java.util.List;

/**
 * {@code held} of {@code GET /jobs/{id}}: where a HELD job waits and why, from its latest JobHeld.
 *
 * @param breaker the stage's breaker, {@code <pipeline>/<stage>}, as {@code GET /ops/breakers/{pipeline}/{stage}} names it
 * @param reason  why the breaker holds dispatches (its figures, or the operator's reason)
 * @param since   when the job was held
 */
@Introspected
public record Hold(String stage, String breaker, String reason, Instant since) {

    /** The hold of a job in {@code state} with {@code events} (in seq order), or null unless the job is HELD. */
    public static Hold of(JobStatus state, List<JobEvent> events) {
        if (state != JobStatus.HELD) {
            return null;
        }
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i) instanceof JobEvent.JobHeld held) {
                return new Hold(held.stage(), held.breaker(), held.reason(), held.occurredAt());
            }
        }
        return null;
    }
}
