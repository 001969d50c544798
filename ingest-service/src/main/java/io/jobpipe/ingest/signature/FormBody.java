package io.jobpipe.ingest.signature;

import io.jobpipe.ingest.request.HeaderLookup;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code application/x-www-form-urlencoded} bodies, as GitHub, and Slack's commands and interactions, send them. */
final class FormBody {
    static final String MEDIA_TYPE = "application/x-www-form-urlencoded";

    private FormBody() {
    }

    static boolean isForm(HeaderLookup headers) {
        String type = headers.get("Content-Type");
        return type != null && type.strip().toLowerCase(Locale.ROOT).startsWith(MEDIA_TYPE);
    }

    /** The fields in order; a repeated name keeps its first value. Null when the body is not a valid form. */
    static Map<String, String> parse(byte[] body) {
        Map<String, String> fields = new LinkedHashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return fields;
        }
        try {
            for (String pair : text.strip().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.putIfAbsent(name, value);
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return fields;
    }
}
