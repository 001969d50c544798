package io.jobpipe.runtime.bench;

import java.time.Duration;

/**
 * An open-loop arrival schedule: request {@code i} (0-based) is due {@code i / rate} seconds after the start,
 * whatever happened to the requests before it. Latencies are measured from these due times, so a stall in the
 * system under test (or in the sender) shows up as latency instead of as fewer requests — no coordinated omission.
 */
public record ArrivalSchedule(double ratePerSecond, int count) {
    public static final double MAX_RATE = 5_000;
    public static final int MAX_COUNT = 1_000_000;

    public ArrivalSchedule {
        if (!(ratePerSecond > 0) || ratePerSecond > MAX_RATE) {
            throw new IllegalArgumentException("rate must be within (0, " + (int) MAX_RATE + "] per second, got " + ratePerSecond);
        }
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count must be within [1, " + MAX_COUNT + "], got " + count);
        }
    }

    /** The schedule that runs {@code duration} at {@code ratePerSecond}: at least one request. */
    public static ArrivalSchedule forDuration(double ratePerSecond, Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive, got " + duration);
        }
        double requests = Math.floor(ratePerSecond * duration.toNanos() / 1e9 + 1e-9);
        if (requests > MAX_COUNT) {
            throw new IllegalArgumentException(duration + " at " + ratePerSecond + "/s is more than " + MAX_COUNT + " requests");
        }
        return new ArrivalSchedule(ratePerSecond, (int) Math.max(1, requests));
    }

    /** When request {@code index} is due, in nanoseconds after the start. */
    public long offsetNanos(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("index " + index + " outside 0.." + (count - 1));
        }
        return Math.round(index * 1e9 / ratePerSecond);
    }

    /** From the first due time to the last. */
    public Duration span() {
        return Duration.ofNanos(offsetNanos(count - 1));
    }

    /** The same rate for {@code newCount} requests (e.g. the shorter baseline run). */
    public ArrivalSchedule withCount(int newCount) {
        return new ArrivalSchedule(ratePerSecond, newCount);
    }
}
