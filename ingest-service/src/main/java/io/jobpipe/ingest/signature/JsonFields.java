package io.jobpipe.ingest.signature;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;

import java.io.IOException;

/** Reads a field or two from an already authenticated body; a body that is not JSON yields nothing here. */
final class JsonFields {
    private JsonFields() {
    }

    static JsonNode readOrNull(byte[] json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The text at {@code pointer}, or null when it is absent, blank or not a string. */
    static String text(JsonNode node, String pointer) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.at(pointer);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
