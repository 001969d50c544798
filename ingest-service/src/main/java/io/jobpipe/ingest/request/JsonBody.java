package io.jobpipe.ingest.request;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.jobpipe.core.event.Json;

import java.io.IOException;

/** Turns a webhook body into JSON or says precisely why it cannot. */
public final class JsonBody {
    // Trailing garbage after a valid document means the body is not the JSON the sender thinks it sent.
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
        if (body == null || isBlank(body)) {
            return new Empty();
        }
        JsonNode json;
        try {
            json = READER.readTree(body);
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
        return new Document(json);
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
