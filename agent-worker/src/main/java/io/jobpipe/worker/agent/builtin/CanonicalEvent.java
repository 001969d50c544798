package io.jobpipe.worker.agent.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One shape for every source's event, so rules and people read GitHub, Slack and Stripe alike.
 *
 * @param occurredAt ISO-8601 instant when the source says the event happened, or null if it does not say
 */
public record CanonicalEvent(String source, String type, String subject, String actor, List<String> links,
                             String occurredAt) {

    public CanonicalEvent {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        links = List.copyOf(links);
    }

    /** True when {@code node} looks like the output of the normalize agent. */
    public static boolean isCanonical(JsonNode node) {
        return node != null && node.isObject() && node.path("source").isTextual() && node.path("type").isTextual()
                && node.path("links").isArray();
    }

    public static CanonicalEvent fromJson(JsonNode node) {
        List<String> links = new ArrayList<>();
        node.path("links").forEach(link -> links.add(link.asText()));
        return new CanonicalEvent(node.path("source").asText(), node.path("type").asText(),
                textOrNull(node.path("subject")), textOrNull(node.path("actor")), links,
                textOrNull(node.path("occurredAt")));
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("source", source);
        node.put("type", type);
        node.put("subject", subject);
        node.put("actor", actor);
        ArrayNode linkArray = node.putArray("links");
        links.forEach(linkArray::add);
        if (occurredAt != null) {
            node.put("occurredAt", occurredAt);
        }
        return node;
    }

    /** {@code github pull_request.opened by octocat: #42 Fix login}. */
    public String describe() {
        return source + " " + type + (actor == null ? "" : " by " + actor) + (subject == null ? "" : ": " + subject);
    }

    private static String textOrNull(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }
}
