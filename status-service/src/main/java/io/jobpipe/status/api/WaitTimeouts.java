package io.jobpipe.status.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code timeout} of {@code GET /jobs/{id}?waitFor=}: {@code 500ms}, {@code 10s}, {@code 1m} or plain seconds. */
final class WaitTimeouts {
    static final Duration DEFAULT = Duration.ofSeconds(10);
    static final Duration MAX = Duration.ofSeconds(60);
    private static final Pattern FORM = Pattern.compile("(\\d{1,6})(ms|s|m)?");

    private WaitTimeouts() {
    }

    static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT;
        }
        Matcher m = FORM.matcher(text.trim());
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            Duration timeout = unit.equals("ms") ? Duration.ofMillis(amount)
                    : unit.equals("m") ? Duration.ofMinutes(amount) : Duration.ofSeconds(amount);
            if (timeout.compareTo(MAX) <= 0) {
                return timeout;
            }
        }
        throw StatusProblems.badParameter("timeout", "timeout must be a duration up to 60s such as 500ms, 10s or 1m,"
                + " got '" + text + "'");
    }
}
