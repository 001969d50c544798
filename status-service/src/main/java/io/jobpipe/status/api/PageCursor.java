package io.jobpipe.status.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;

/**
 * The keyset of {@code GET /jobs}: the (createdAt, jobId) of the last job of a page. Opaque to clients
 * (base64url), so its form may change; ties on createdAt are broken by jobId, so no job is skipped or repeated.
 */
public record PageCursor(Instant createdAt, String jobId) {
    private static final char SEPARATOR = '|';

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((createdAt.toString() + SEPARATOR + jobId).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor, or empty when {@code text} is not one this API issued. */
    public static Optional<PageCursor> decode(String text) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int at = raw.indexOf(SEPARATOR);
            if (at <= 0 || at == raw.length() - 1) {
                return Optional.empty();
            }
            return Optional.of(new PageCursor(Instant.parse(raw.substring(0, at)), raw.substring(at + 1)));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
