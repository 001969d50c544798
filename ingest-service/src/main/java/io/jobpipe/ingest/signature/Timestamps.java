package io.jobpipe.ingest.signature;

import java.time.Clock;
import java.time.Duration;

/** The replay window of the timestamped schemes (Slack, Stripe, Standard Webhooks). */
final class Timestamps {
    private Timestamps() {
    }

    /** Null when {@code seconds} (Unix time) lies within {@code tolerance} of now, else why the request is refused. */
    static String staleness(String seconds, Clock clock, Duration tolerance) {
        if (seconds == null || seconds.isBlank()) {
            return "missing";
        }
        long sent;
        try {
            sent = Long.parseLong(seconds.strip());
        } catch (NumberFormatException e) {
            return "not a Unix time in seconds";
        }
        long now = clock.millis() / 1000;
        long skew = Math.abs(now - sent);
        if (skew > tolerance.toSeconds()) {
            return "outside the " + tolerance.toSeconds() + " s window (" + (sent < now ? "stale" : "in the future") + ")";
        }
        return null;
    }
}
