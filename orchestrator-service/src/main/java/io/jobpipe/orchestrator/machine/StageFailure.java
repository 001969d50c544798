package io.jobpipe.orchestrator.machine;

import java.time.Instant;

/** The most recent failure of the current stage, kept for the dead-letter headers. */
public record StageFailure(String errorType, String message, Instant at) {
}
