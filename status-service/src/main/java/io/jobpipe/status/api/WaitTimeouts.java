package io.jobpipe.status.api;

import io.jobpipe.core.pipeline.Durations;

import java.time.Duration;

/** The {@code timeout} of {@code GET /jobs/{id}?waitFor=}: {@code 500ms}, {@code 10s}, {@code 1m}, up to 60 s. */
final class WaitTimeouts {
    static final Duration DEFAULT = Duration.ofSeconds(10);
    static final Duration MAX = Duration.ofSeconds(60);

    private WaitTimeouts() {
    }

    static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT;
        }
        try {
            Duration timeout = Durations.parse(text);
            if (!timeout.isNegative() && timeout.compareTo(MAX) <= 0) {
                return timeout;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw StatusProblems.badParameter("timeout", "timeout must be a duration up to 60s such as 500ms, 10s or 1m,"
                + " got '" + text + "'");
    }
}
