package io.jobpipe.runtime.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** How the CLI shows instants: local time, with the date only when it is not today. */
final class Times {
    private static final DateTimeFormatter CLOCK_MILLIS = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Times() {
    }

    static String clockMillis(Instant instant, ZoneId zone) {
        return instant == null ? "--:--:--.---" : CLOCK_MILLIS.format(instant.atZone(zone));
    }

    /** An ISO-8601 instant from a service as local time; text that is not an instant is shown as it is. */
    static String local(String iso, ZoneId zone) {
        if (iso == null || iso.isBlank()) {
            return null;
        }
        try {
            ZonedDateTime time = Instant.parse(iso).atZone(zone);
            return time.toLocalDate().equals(LocalDate.now(zone)) ? CLOCK.format(time) : DATED.format(time);
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    /** {@code 850 ms}, {@code 12.3 s}, {@code 4 min 5 s}. */
    static String duration(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return (millis / 60_000) + " min " + (millis % 60_000) / 1000 + " s";
    }
}
