package io.jobpipe.ingest.request;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Turns a webhook body into JSON or says precisely why it cannot. The body must be strict UTF-8 and follow
 * {@link JsonRules}; no string (value or key) may hold a lone surrogate: an escape such as {@code "\\ud800"}
 * smuggles one in although no UTF-8 text can carry it, and no downstream writer could encode it again.
 */
public final class JsonBody {
    static final String LONE_SURROGATE_IN_STRING =
            "a string holds a lone surrogate (an unpaired \\uD800-\\uDFFF escape)";
    static final String LONE_SURROGATE_IN_KEY = "a key holds a lone surrogate (an unpaired \\uD800-\\uDFFF escape)";

    private JsonBody() {
    }

    /** The outcome of parsing a body: a JSON document, or the reason the body is refused. */
    public sealed interface Parsed permits Document, Empty, NotJson {
    }

    public record Document(JsonNode json) implements Parsed {
    }

    public record Empty() implements Parsed {
    }

    /** @param reason what is wrong, fit to show the sender (no stack trace, no internals) */
    public record NotJson(String reason) implements Parsed {
    }

    /**
     * A body is accepted when it holds one JSON object or array: a bare scalar or {@code null} is no
     * webhook event, and every stage downstream reads fields of the payload.
     */
    public static Parsed parse(byte[] body) {
        return parse(body, JsonRules.DEFAULT);
    }

    /** As {@link #parse(byte[])}, under {@code rules}. */
    public static Parsed parse(byte[] body, JsonRules rules) {
        if (body == null || isBlank(body)) {
            return new Empty();
        }
        int invalid = Utf8.firstInvalidOffset(body);
        if (invalid >= 0) {
            return new NotJson("the body is not valid UTF-8 (byte " + invalid + ")");
        }
        JsonNode json;
        try {
            json = rules.reader().readTree(body);
        } catch (StreamConstraintsException e) {
            return new NotJson(describeLimit(e, rules));
        } catch (JacksonException e) {
            return new NotJson(describe(e));
        } catch (IOException e) {
            return new NotJson("unreadable body");
        }
        if (json == null || json.isMissingNode()) {
            return new Empty();
        }
        if (!json.isContainerNode()) {
            return new NotJson("expected a JSON object or array, got " + json.getNodeType().name().toLowerCase());
        }
        String surrogate = loneSurrogate(json);
        if (surrogate != null) {
            return new NotJson(surrogate);
        }
        return new Document(json);
    }

    private static String describeLimit(StreamConstraintsException e, JsonRules rules) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (message.contains("nesting depth")) {
            return "the document nests deeper than " + rules.maxDepth() + " levels";
        }
        if (message.contains("Number value length")) {
            return "a number is longer than " + rules.maxNumberLength() + " characters";
        }
        return describe(e);
    }

    /** Depth is bounded by {@link JsonRules#maxDepth()}, so the recursion is too. */
    private static String loneSurrogate(JsonNode node) {
        if (node.isTextual()) {
            return hasLoneSurrogate(node.textValue()) ? LONE_SURROGATE_IN_STRING : null;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (hasLoneSurrogate(field.getKey())) {
                    return LONE_SURROGATE_IN_KEY;
                }
                String inValue = loneSurrogate(field.getValue());
                if (inValue != null) {
                    return inValue;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                String inElement = loneSurrogate(element);
                if (inElement != null) {
                    return inElement;
                }
            }
        }
        return null;
    }

    static boolean hasLoneSurrogate(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static String describe(JacksonException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            message = "malformed JSON";
        }
        // Jackson quotes the offending input; keep the sender's bytes out of our answer beyond a short prefix.
        if (message.length() > 200) {
            message = message.substring(0, 200) + "…";
        }
        var location = e.getLocation();
        return location == null || location.getLineNr() < 0
                ? message
                : message + " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
