package io.jobpipe.runtime.supervisor;

import java.time.Duration;

/**
 * How long {@code ./jobpipe up} waits before restarting a child that died: {@code initial}, doubled after each
 * crash up to {@code max}; a child that had run for {@code stableAfter} before it died starts again from
 * {@code initial}, so one crash a day is always restarted quickly while a crash loop slows down. Pure.
 *
 * @param initial     the first delay
 * @param max         the longest delay
 * @param stableAfter an uptime after which the next crash counts as the first again
 */
public record RestartBackoff(Duration initial, Duration max, Duration stableAfter) {
    /** The defaults of {@code ./jobpipe up}: 1 s, doubling to 30 s, reset after a minute up. */
    public static final RestartBackoff DEFAULT = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofMinutes(1));

    public RestartBackoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || stableAfter.isNegative()) {
            throw new IllegalArgumentException("need 0 < initial <= max and stableAfter >= 0, got " + initial + ", "
                    + max + ", " + stableAfter);
        }
    }

    /**
     * The delay before the restart that follows a crash.
     *
     * @param crashesInARow crashes since the child last ran for {@code stableAfter}, this one included (1 = first)
     */
    public Duration delayFor(int crashesInARow) {
        if (crashesInARow < 1) {
            throw new IllegalArgumentException("crashesInARow starts at 1, got " + crashesInARow);
        }
        Duration delay = initial;
        for (int i = 1; i < crashesInARow && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }

    /** The crash count after a child that ran for {@code uptime} died, given the count before. */
    public int crashesInARow(int before, Duration uptime) {
        return uptime.compareTo(stableAfter) >= 0 ? 1 : before + 1;
    }
}
