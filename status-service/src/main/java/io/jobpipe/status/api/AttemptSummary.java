package io.jobpipe.status.api;

import io.jobpipe.core.event.JobEvent;
import io.micronaut.core.annotation.Introspected;

import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Where the job's latest attempt stands, from its history: "attempt n of N", when the next one comes, and the last
 * error. Attempt numbers go on across replays, while the budget starts again (the orchestrator's rule), so {@code n}
 * counts from the job's latest replay: the first StageDispatched after a JobReplayed is attempt 1 of its round.
 *
 * @param stage          the stage of the latest attempt
 * @param attempt        its number as the orchestrator and the worker name it
 * @param attemptInRound {@code n}: the attempt counted from the latest replay (or from the start)
 * @param allowed        {@code N}: the stage's {@code maximumAttempts}, null when its pipeline is no longer known
 * @param deadline       when the running attempt times out unless a result or heartbeat comes; null once it failed
 *                       or the job finished
 * @param nextAttemptAt  when the next attempt is dispatched, while one is waiting; else null
 * @param lastError      the job's latest failed attempt, whichever stage it was, or null
 */
@Introspected
public record AttemptSummary(String stage, int attempt, int attemptInRound, Integer allowed, Instant deadline,
                             Instant nextAttemptAt, LastError lastError) {

    /** A failed attempt: its error class (the agent's errorType) and message. */
    @Introspected
    public record LastError(String stage, int attempt, String errorClass, String message, boolean retryable,
                            Instant at) {
    }

    /**
     * The summary of {@code events} (the job's StageDispatched, StageAttemptFailed, JobReplayed and JobHeld, in seq order; other
     * types are ignored), or null when no attempt was dispatched. {@code allowedAttempts} gives a stage's N. A
     * {@code finished} job waits for nothing: no deadline, no next attempt.
     */
    public static AttemptSummary of(List<JobEvent> events, BiFunction<String, String, Integer> allowedAttempts,
                                    String pipeline, boolean finished) {
        JobEvent.StageDispatched latest = null;
        int roundBase = 0;
        boolean replayed = false;
        Instant nextAttemptAt = null;
        Instant deadline = null;
        LastError lastError = null;
        for (JobEvent event : events) {
            if (event instanceof JobEvent.JobReplayed) {
                replayed = true;
            } else if (event instanceof JobEvent.StageDispatched dispatched) {
                if (replayed) {
                    roundBase = dispatched.attempt() - 1;
                    replayed = false;
                }
                latest = dispatched;
                deadline = dispatched.deadline();
                nextAttemptAt = null;
            } else if (event instanceof JobEvent.StageAttemptFailed failed) {
                lastError = new LastError(failed.stage(), failed.attempt(), failed.errorType(), failed.message(),
                        failed.retryable(), failed.occurredAt());
                deadline = null;
                nextAttemptAt = failed.nextAttemptAt();
            } else if (event instanceof JobEvent.JobHeld) {
                // The next attempt waits for the stage's breaker, not for a time.
                deadline = null;
                nextAttemptAt = null;
            }
        }
        if (latest == null) {
            return null;
        }
        return new AttemptSummary(latest.stage(), latest.attempt(), latest.attempt() - roundBase,
                allowedAttempts.apply(pipeline, latest.stage()), finished ? null : deadline,
                finished ? null : nextAttemptAt, lastError);
    }
}
