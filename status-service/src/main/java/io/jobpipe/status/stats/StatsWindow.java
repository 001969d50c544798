package io.jobpipe.status.stats;

import io.jobpipe.core.pipeline.Durations;

import java.time.Duration;
import java.time.Instant;

/**
 * The time a stats request looks back over from its end (now, unless asked otherwise): jobs created in
 * {@code [from, to)}. Pure. Written as {@code 15m},
 * {@code 1h}, {@code 24h} or ISO-8601 ({@code P7D}); from one minute to seven days, so one request cannot ask the
 * database to rank months of jobs.
 */
public record StatsWindow(Duration length, Instant from, Instant to) {
    public static final Duration DEFAULT = Duration.ofHours(1);
    public static final Duration MIN = Duration.ofMinutes(1);
    public static final Duration MAX = Duration.ofDays(7);

    /**
     * @throws IllegalArgumentException saying what is allowed, when {@code text} is not a window
     */
    public static StatsWindow parse(String text, Instant end) {
        Duration length = DEFAULT;
        if (text != null && !text.isBlank()) {
            try {
                length = Durations.parse(text);
            } catch (IllegalArgumentException e) {
                length = null;
            }
            if (length == null || length.compareTo(MIN) < 0 || length.compareTo(MAX) > 0) {
                throw new IllegalArgumentException("window must be a duration from 1m to 7 days, such as 15m, 1h,"
                        + " 24h or P7D; got '" + text + "'");
            }
        }
        return new StatsWindow(length, end.minus(length), end);
    }
}
