package io.jobpipe.ingest.callback;

import io.jobpipe.core.event.StageResult;
import io.jobpipe.ingest.http.IngestProblemType;
import io.jobpipe.ingest.webhook.JobLinks;

/** How a callback ended: its result is in Kafka, or the caller gets a problem and Kafka got nothing. */
public sealed interface CallbackOutcome {

    /** The {@code outcome} label of {@code jobpipe_ingest_callbacks_total}. */
    String label();

    /** @param result what was produced to {@code jobpipe.stage.results}, acknowledged by Kafka */
    record Accepted(StageResult result, JobLinks links) implements CallbackOutcome {
        @Override
        public String label() {
            if (result instanceof StageResult.StageSucceeded) {
                return "succeeded";
            }
            return result instanceof StageResult.StageFailed ? "failed" : "heartbeat";
        }
    }

    /** @param jobId the token's job when the token was genuine, else null (for the log) */
    record Refused(IngestProblemType problem, String detail, String jobId) implements CallbackOutcome {
        @Override
        public String label() {
            return switch (problem) {
                case CALLBACK_TOKEN_INVALID -> "invalid_token";
                case CALLBACK_EXPIRED -> "expired";
                case CALLBACKS_DISABLED -> "disabled";
                case INVALID_CALLBACK -> "bad_request";
                case BROKER_UNAVAILABLE -> "unavailable";
                case PAYLOAD_TOO_LARGE -> "too_large";
                default -> "error";
            };
        }
    }
}
