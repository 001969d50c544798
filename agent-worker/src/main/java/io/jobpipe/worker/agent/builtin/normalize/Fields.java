package io.jobpipe.worker.agent.builtin.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.worker.agent.JsonPaths;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Small, forgiving readers of payload fields shared by the source mappings. */
final class Fields {
    static final int SUBJECT_MAX = 140;

    private Fields() {
    }

    static String text(JsonNode root, String... paths) {
        return JsonPaths.firstText(root, paths).orElse(null);
    }

    /** First line, whitespace collapsed, at most {@link #SUBJECT_MAX} characters. */
    static String shorten(String text) {
        if (text == null) {
            return null;
        }
        String line = text.strip().lines().findFirst().orElse("").replaceAll("\\s+", " ");
        return line.length() <= SUBJECT_MAX ? line : line.substring(0, SUBJECT_MAX - 1) + "…";
    }

    /**
     * An instant from ISO-8601 text, epoch seconds (number or text, fractions allowed as Slack sends them),
     * as ISO-8601 UTC; null when the value is none of these.
     */
    static String instant(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return epochSeconds(node.asDouble());
        }
        String text = node.asText().trim();
        if (text.matches("\\d{9,10}(\\.\\d+)?")) {
            return epochSeconds(Double.parseDouble(text));
        }
        try {
            return OffsetDateTime.parse(text).toInstant().toString();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text).toString();
            } catch (DateTimeParseException ignored) {
                return null;
            }
        }
    }

    static String firstInstant(JsonNode root, String... paths) {
        for (String path : paths) {
            String instant = instant(JsonPaths.at(root, path));
            if (instant != null) {
                return instant;
            }
        }
        return null;
    }

    /** The http(s) URLs at {@code paths}, in order, without duplicates. */
    static List<String> links(JsonNode root, String... paths) {
        Set<String> links = new LinkedHashSet<>();
        for (String path : paths) {
            String value = text(root, path);
            if (isUrl(value)) {
                links.add(value);
            }
        }
        return List.copyOf(links);
    }

    static boolean isUrl(String value) {
        return value != null && (value.startsWith("https://") || value.startsWith("http://")) && !value.contains(" ");
    }

    private static String epochSeconds(double seconds) {
        if (seconds <= 0 || seconds > 32_503_680_000d) {
            return null;
        }
        long millis = Math.round(seconds * 1000);
        return Instant.ofEpochMilli(millis).toString();
    }
}
