package io.jobpipe.status.projection;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Objects;

/**
 * One stage of a projected job.
 *
 * @param position   0-based index in the pipeline (the orchestrator's {@code stageIndex})
 * @param attempts   the highest attempt number seen
 * @param startedAt  start of the stage's first attempt
 * @param endedAt    end of its latest finished attempt; null while one runs
 * @param durationMs duration of its latest finished attempt, as the worker measured it
 * @param error      "errorType: message" of the latest failed attempt; cleared when the stage succeeds
 * @param log        the log tail of its latest finished attempt (what the agent logged: a command's stderr), or null
 * @param logAttempt the number of that attempt, or null
 */
public record StageView(String name, int position, StageStatus status, int attempts,
                        Instant startedAt, Instant endedAt, Long durationMs,
                        String summary, JsonNode output, String error, String log, Integer logAttempt) {

    public StageView {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
    }

    public static StageView pending(String name, int position) {
        return new StageView(name, position, StageStatus.PENDING, 0, null, null, null, null, null, null, null, null);
    }

    StageView withStatus(StageStatus newStatus) {
        return new StageView(name, position, newStatus, attempts, startedAt, endedAt, durationMs, summary, output, error,
                log, logAttempt);
    }

    StageView withAttempt(int attempt, Instant attemptStartedAt) {
        return new StageView(name, position, status, Math.max(attempts, attempt),
                startedAt != null ? startedAt : attemptStartedAt, endedAt, durationMs, summary, output, error, log,
                logAttempt);
    }

    StageView running() {
        return new StageView(name, position, StageStatus.RUNNING, attempts, startedAt, null, durationMs, summary, output,
                error, log, logAttempt);
    }

    /** The attempt {@code attempt} ended at {@code at}; its log (null when it logged nothing) replaces the previous one. */
    StageView finished(StageStatus newStatus, Instant at, long tookMs, String newSummary, JsonNode newOutput,
                       String newError, int attempt, String attemptLog) {
        return new StageView(name, position, newStatus, attempts, startedAt, at, tookMs, newSummary, newOutput, newError,
                attemptLog, attemptLog == null ? null : attempt);
    }

    /** Pending again after a replay; the attempts made so far stay counted. */
    StageView reset() {
        return new StageView(name, position, StageStatus.PENDING, attempts, null, null, null, null, null, null, null, null);
    }

    StageView withError(String newError) {
        return new StageView(name, position, status, attempts, startedAt, endedAt, durationMs, summary, output, newError,
                log, logAttempt);
    }
}
