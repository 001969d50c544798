package io.jobpipe.runtime.bench.sse;

import java.util.Arrays;

/** Latencies in ms, recorded by one thread while {@link #recording}, read after; percentiles by sorting. */
final class LatencyRecorder {
    private long[] values = new long[1 << 16];
    private int size;
    // The worst latency seen in each second of the run (by arrival), to tell a steady tail from bursts.
    private final java.util.TreeMap<Long, Long> worstPerSecond = new java.util.TreeMap<>();
    private volatile boolean recording;

    void start() {
        recording = true;
    }

    void stop() {
        recording = false;
    }

    /** Forgets what was recorded (the warm-up's figures, read before); recording goes on. */
    synchronized void reset() {
        size = 0;
        worstPerSecond.clear();
    }

    synchronized void record(long millis) {
        if (!recording) {
            return;
        }
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = Math.max(0, millis);
        worstPerSecond.merge(System.currentTimeMillis() / 1000, Math.max(0, millis), Math::max);
    }

    /** Seconds of the run whose worst latency passed {@code millis}, out of all recorded seconds: "n of m". */
    synchronized String secondsWorseThan(long millis) {
        long worse = worstPerSecond.values().stream().filter(v -> v > millis).count();
        return worse + " of " + worstPerSecond.size();
    }

    /** p50, p95, p99, p99.9 and max of what was recorded, in ms; count first. */
    synchronized long[] summary() {
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            return new long[]{0, 0, 0, 0, 0, 0};
        }
        return new long[]{sorted.length, at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99), at(sorted, 0.999),
                sorted[sorted.length - 1]};
    }

    private static long at(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }
}
