package io.jobpipe.support.callback;

import java.time.Instant;
import java.util.Objects;

/**
 * What a callback token stands for: one attempt of one stage of one job, when the worker handed it out and until
 * when ingest takes it. Times are whole seconds (the token carries epoch seconds).
 */
public record CallbackToken(String jobId, String stage, int attempt, Instant issuedAt, Instant expiresAt) {

    public CallbackToken {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1, got " + attempt);
        }
        if (!expiresAt.isAfter(issuedAt)) {
            throw new IllegalArgumentException("a callback token must expire after it is issued");
        }
    }
}
