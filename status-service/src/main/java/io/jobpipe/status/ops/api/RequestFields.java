package io.jobpipe.status.ops.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the fields of an ops request body or query, each rule once: a bad value is a 400 naming the field and
 * saying what was expected. Pure. Unknown body fields are refused too: a typo ({@code fromstage}) must not be
 * silently ignored on a command that changes jobs.
 */
final class RequestFields {
    static final int MAX_TEXT = 1_000;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private RequestFields() {
    }

    /** The body as a JSON object with only {@code allowed} fields. */
    static JsonNode object(String body, Set<String> allowed) {
        if (body == null || body.isBlank()) {
            throw OpsProblems.invalid("body", "the request needs a JSON object body with at least 'reason'");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw OpsProblems.invalid("body", "the body is not JSON: " + e.getOriginalMessage());
        }
        return object(node, "body", allowed);
    }

    static JsonNode object(JsonNode node, String field, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw OpsProblems.invalid(field, field + " must be a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw OpsProblems.invalid(name, "unknown field '" + name + "' in " + field + "; allowed: "
                        + allowed.stream().sorted().toList());
            }
        }
        return node;
    }

    static String reason(JsonNode body) {
        String reason = text(body, "reason");
        if (reason == null || reason.isBlank()) {
            throw OpsProblems.invalid("reason", "'reason' is required: say why, it is written into the job's history");
        }
        return reason.trim();
    }

    /** An optional string field; null when absent or JSON null. */
    static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw OpsProblems.invalid(field, "'" + field + "' must be a string");
        }
        if (value.asText().length() > MAX_TEXT) {
            throw OpsProblems.invalid(field, "'" + field + "' is longer than " + MAX_TEXT + " characters");
        }
        return value.asText().isBlank() ? null : value.asText().trim();
    }

    /** An optional id: 1 to 100 of letters, digits and {@code ._:-}. */
    static String id(JsonNode body, String field) {
        String id = text(body, field);
        if (id != null && !ID.matcher(id).matches()) {
            throw OpsProblems.invalid(field, "'" + field + "' must be 1 to 100 letters, digits or ._:-");
        }
        return id;
    }

    /** An optional JSON value, kept as it is; JSON null is absent. */
    static JsonNode json(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value;
    }

    static boolean bool(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw OpsProblems.invalid(field, "'" + field + "' must be true or false");
        }
        return value.asBoolean();
    }

    /** An optional integer in [min, max]; {@code fallback} when absent. */
    static Integer integer(JsonNode body, String field, int min, int max, Integer fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < min || value.asInt() > max) {
            throw OpsProblems.invalid(field, "'" + field + "' must be an integer from " + min + " to " + max);
        }
        return value.asInt();
    }

    /** An optional list of job ids; null when absent. */
    static List<String> jobIds(JsonNode body, String field, int max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray() || value.isEmpty() || value.size() > max) {
            throw OpsProblems.invalid(field, "'" + field + "' must be a list of 1 to " + max + " job ids");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode id : value) {
            if (!id.isTextual() || !ID.matcher(id.asText()).matches()) {
                throw OpsProblems.invalid(field, "'" + field + "' must hold job ids (strings)");
            }
            ids.add(id.asText());
        }
        return List.copyOf(ids);
    }

    /** An optional ISO-8601 instant, e.g. {@code 2025-01-01T00:00:00Z}. */
    static Instant instant(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw OpsProblems.invalid(field, "'" + field + "' must be an ISO-8601 instant such as "
                    + "2025-01-31T12:00:00Z, got '" + text + "'");
        }
    }

    /** An optional query text: trimmed, null when empty, at most {@link #MAX_TEXT} characters. */
    static String query(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.length() > MAX_TEXT) {
            throw OpsProblems.invalid(field, "'" + field + "' is longer than " + MAX_TEXT + " characters");
        }
        return text.trim();
    }
}
