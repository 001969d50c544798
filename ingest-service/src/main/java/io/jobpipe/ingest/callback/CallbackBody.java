package io.jobpipe.ingest.callback;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.ingest.request.JsonBody;
import io.jobpipe.ingest.request.JsonRules;

import java.util.regex.Pattern;

/**
 * Reads what an agent's service posts to its callback URL, or says precisely what is wrong with it (ingest's README,
 * "Callbacks"). A result is one of
 * <pre>
 * {"status": "succeeded", "output": &lt;any JSON&gt;, "summary": "…"?, "log": "…"?}
 * {"status": "failed", "errorType": "ParseError", "message": "…"?, "retryable": true|false,
 *  "retryAfterSeconds": n?, "log": "…"?}
 * </pre>
 * and a heartbeat's body is empty or {@code {"progress": "…"?}}. Other members are ignored, so a service can send
 * more than jobpipe reads. The body must first pass {@link JsonBody}'s rules (UTF-8, depth, no lone surrogates).
 * Pure: no framework, unit-tested.
 */
public final class CallbackBody {
    /** The tail of an agent's log that is kept, as the worker keeps it. */
    static final int LOG_LIMIT = 16 * 1024;
    static final int SUMMARY_LIMIT = 200;
    static final int MESSAGE_LIMIT = 2000;
    static final long MAX_RETRY_AFTER_SECONDS = 86_400;
    private static final Pattern ERROR_TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,99}");

    private CallbackBody() {
    }

    /** What a callback reported: a result, a heartbeat, or why its body cannot be taken. */
    public sealed interface Parsed {
    }

    public record Succeeded(JsonNode output, String summary, String log) implements Parsed {
    }

    /** @param retryAfterMs the least wait before the next attempt, or null; only for a retryable failure */
    public record Failed(String errorType, String message, boolean retryable, Long retryAfterMs, String log)
            implements Parsed {
    }

    public record Heartbeat(String progress) implements Parsed {
    }

    /** @param reason what is wrong, fit to show the caller */
    public record Invalid(String reason) implements Parsed {
    }

    public static Parsed result(byte[] body, JsonRules rules) {
        JsonBody.Parsed parsed = JsonBody.parse(body, rules);
        if (parsed instanceof JsonBody.Empty) {
            return new Invalid("the body is empty; send {\"status\":\"succeeded\",\"output\":…} or"
                    + " {\"status\":\"failed\",\"errorType\":…,\"retryable\":…}");
        }
        if (parsed instanceof JsonBody.NotJson notJson) {
            return new Invalid("the body is not valid JSON: " + notJson.reason());
        }
        JsonNode json = ((JsonBody.Document) parsed).json();
        if (!json.isObject()) {
            return new Invalid("the body must be a JSON object");
        }
        JsonNode status = json.path("status");
        if (!status.isTextual()) {
            return new Invalid("'status' must be \"succeeded\" or \"failed\"");
        }
        return switch (status.textValue()) {
            case "succeeded" -> succeeded(json);
            case "failed" -> failed(json);
            default -> new Invalid("'status' must be \"succeeded\" or \"failed\", got \"" + clip(status.textValue(), 50)
                    + "\"");
        };
    }

    public static Parsed heartbeat(byte[] body, JsonRules rules) {
        JsonBody.Parsed parsed = JsonBody.parse(body, rules);
        if (parsed instanceof JsonBody.Empty) {
            return new Heartbeat(null);
        }
        if (parsed instanceof JsonBody.NotJson notJson) {
            return new Invalid("the body is not valid JSON: " + notJson.reason());
        }
        JsonNode json = ((JsonBody.Document) parsed).json();
        if (!json.isObject()) {
            return new Invalid("a heartbeat's body must be empty or a JSON object");
        }
        try {
            String progress = optionalText(json, "progress");
            return new Heartbeat(progress == null ? null : oneLine(progress, SUMMARY_LIMIT));
        } catch (NotAString e) {
            return new Invalid(e.getMessage());
        }
    }

    private static Parsed succeeded(JsonNode json) {
        if (!json.has("output")) {
            return new Invalid("a succeeded result needs 'output' (any JSON: the stage's output)");
        }
        try {
            String summary = optionalText(json, "summary");
            return new Succeeded(json.get("output"), summary == null ? "" : oneLine(summary, SUMMARY_LIMIT),
                    tail(optionalText(json, "log")));
        } catch (NotAString e) {
            return new Invalid(e.getMessage());
        }
    }

    private static Parsed failed(JsonNode json) {
        JsonNode errorType = json.path("errorType");
        if (!errorType.isTextual() || !ERROR_TYPE.matcher(errorType.textValue()).matches()) {
            return new Invalid("a failed result needs 'errorType': a name such as \"ParseError\" (a letter, then"
                    + " letters, digits, '.', '_' or '-', at most 100)");
        }
        JsonNode retryable = json.path("retryable");
        if (!retryable.isBoolean()) {
            return new Invalid("a failed result needs 'retryable': true (the stage may be tried again) or false (the"
                    + " job fails now)");
        }
        JsonNode retryAfter = json.path("retryAfterSeconds");
        Long retryAfterMs = null;
        if (!retryAfter.isMissingNode() && !retryAfter.isNull()) {
            if (!retryAfter.isIntegralNumber() || !retryAfter.canConvertToLong() || retryAfter.longValue() < 0
                    || retryAfter.longValue() > MAX_RETRY_AFTER_SECONDS) {
                return new Invalid("'retryAfterSeconds' must be a whole number of seconds from 0 to "
                        + MAX_RETRY_AFTER_SECONDS);
            }
            // As with an agent's Retry-After: it only means something when the attempt is retried.
            retryAfterMs = retryable.booleanValue() ? retryAfter.longValue() * 1000 : null;
        }
        try {
            String message = optionalText(json, "message");
            return new Failed(errorType.textValue(), message == null ? errorType.textValue() : clip(message,
                    MESSAGE_LIMIT), retryable.booleanValue(), retryAfterMs, tail(optionalText(json, "log")));
        } catch (NotAString e) {
            return new Invalid(e.getMessage());
        }
    }

    /** A member that must be a string when present. */
    private static final class NotAString extends Exception {
        NotAString(String name) {
            super("'" + name + "' must be a string", null, false, false);
        }
    }

    private static String optionalText(JsonNode json, String name) throws NotAString {
        JsonNode node = json.path(name);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new NotAString(name);
        }
        return node.textValue();
    }

    private static String oneLine(String text, int limit) {
        return clip(text.replaceAll("\\s+", " ").trim(), limit);
    }

    private static String clip(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit - 1) + "…";
    }

    private static String tail(String log) {
        if (log == null || log.isEmpty()) {
            return null;
        }
        return log.length() <= LOG_LIMIT ? log
                : "[… earlier lines cut; the last " + LOG_LIMIT + " characters follow]\n"
                + log.substring(log.length() - LOG_LIMIT);
    }
}
