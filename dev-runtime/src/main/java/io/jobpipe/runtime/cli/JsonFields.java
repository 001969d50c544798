package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading the optional fields of a service's JSON answer: a missing field and JSON null are both "not there". */
final class JsonFields {
    private JsonFields() {
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    static String orDash(String text) {
        return text == null ? "-" : text;
    }
}
