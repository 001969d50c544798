package io.jobpipe.worker.agent.builtin.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.worker.agent.builtin.CanonicalEvent;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Any other JSON: the source is the connection's name, and common field names fill the rest
 * ({@code type}/{@code event}, {@code title}/{@code subject}/{@code message}, {@code user}/{@code author},
 * every URL found in the first two levels).
 */
public final class GenericMapping implements SourceMapping {
    private static final int MAX_LINKS = 10;

    @Override
    public boolean recognises(String connection, String eventType, JsonNode payload) {
        return true;
    }

    @Override
    public CanonicalEvent map(String connection, String eventType, JsonNode payload) {
        String source = connection == null || connection.isBlank() || connection.equals("*") ? "generic" : connection;
        String type = Fields.text(payload, "type", "event", "event_type", "eventType", "kind");
        if (type == null) {
            type = eventType == null || eventType.isBlank() ? "webhook" : eventType;
        }
        String subject = Fields.text(payload, "title", "subject", "summary", "name", "message", "text",
                "description", "id");
        return new CanonicalEvent(source, type, Fields.shorten(subject), actor(payload), links(payload),
                Fields.firstInstant(payload, "occurredAt", "occurred_at", "timestamp", "created_at", "createdAt",
                        "time"));
    }

    private static String actor(JsonNode payload) {
        for (String field : List.of("actor", "user", "author", "sender", "username", "email")) {
            JsonNode node = payload.path(field);
            if (node.isValueNode() && !node.isNull() && !node.asText().isBlank()) {
                return node.asText();
            }
            if (node.isObject()) {
                String named = Fields.text(node, "login", "username", "name", "email", "id");
                if (named != null) {
                    return named;
                }
            }
        }
        return null;
    }

    private static List<String> links(JsonNode payload) {
        Set<String> links = new LinkedHashSet<>();
        collect(payload, 0, links);
        return List.copyOf(links);
    }

    private static void collect(JsonNode node, int depth, Set<String> links) {
        if (depth > 2 || links.size() >= MAX_LINKS) {
            return;
        }
        if (node.isTextual() && Fields.isUrl(node.asText())) {
            links.add(node.asText());
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                collect(it.next().getValue(), depth + 1, links);
            }
        } else if (node.isArray()) {
            node.forEach(item -> collect(item, depth + 1, links));
        }
    }
}
