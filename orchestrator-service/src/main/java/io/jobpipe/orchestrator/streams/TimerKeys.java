package io.jobpipe.orchestrator.streams;

import io.jobpipe.orchestrator.machine.Timer;

import java.time.Instant;

/**
 * Keys of the {@code job-timers} store: {@code %013d|jobId|kind|stage|attempt}. The zero-padded epoch
 * milliseconds come first so the store's byte order is time order and due timers are a prefix of a scan.
 */
final class TimerKeys {
    private static final int TIME_DIGITS = 13;

    private TimerKeys() {
    }

    static String of(Instant at, Timer timer) {
        return String.format("%0" + TIME_DIGITS + "d|%s|%s|%s|%d",
                at.toEpochMilli(), timer.jobId(), timer.kind(), timer.stage(), timer.attempt());
    }

    static long dueAtMillis(String key) {
        return Long.parseLong(key.substring(0, TIME_DIGITS));
    }
}
