package io.jobpipe.support.logging;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The id that ties a request to its log line, its problem response and its job. A caller's
 * {@code X-Request-Id} is kept when it is a plain token; anything else could forge log lines, so it is replaced.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private RequestIds() {
    }

    /** The caller's id when it is safe to echo and log, else a new one. */
    public static String resolve(String fromCaller) {
        if (fromCaller != null) {
            String trimmed = fromCaller.strip();
            if (SAFE.matcher(trimmed).matches()) {
                return trimmed;
            }
        }
        return newId();
    }

    public static String newId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "req_" + ENCODER.encodeToString(bytes);
    }
}
