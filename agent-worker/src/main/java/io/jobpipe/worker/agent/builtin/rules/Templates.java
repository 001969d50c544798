package io.jobpipe.worker.agent.builtin.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.worker.agent.JsonPaths;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${dotted.path}} placeholders filled from the facts. A string that is exactly one placeholder
 * becomes the value itself (so {@code "json": "${event}"} embeds an object); inside text, lists join with
 * ", " and objects print as JSON; missing values print as nothing. Values put into a {@code path} are made
 * file-name safe, so event data can never steer a file outside its folder.
 */
public final class Templates {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

    private Templates() {
    }

    public static JsonNode renderAction(JsonNode action, JsonNode facts) {
        ObjectNode rendered = Json.MAPPER.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = action.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("path") && field.getValue().isTextual()) {
                rendered.put("path", renderPath(field.getValue().asText(), facts));
            } else {
                rendered.set(field.getKey(), render(field.getValue(), facts));
            }
        }
        return rendered;
    }

    static JsonNode render(JsonNode node, JsonNode facts) {
        if (node.isTextual()) {
            String text = node.asText();
            Matcher whole = PLACEHOLDER.matcher(text);
            if (whole.matches()) {
                JsonNode value = JsonPaths.at(facts, whole.group(1));
                return value.isMissingNode() ? TextNode.valueOf("") : value.deepCopy();
            }
            return TextNode.valueOf(renderText(text, facts));
        }
        if (node.isObject()) {
            ObjectNode copy = Json.MAPPER.createObjectNode();
            node.fields().forEachRemaining(f -> copy.set(f.getKey(), render(f.getValue(), facts)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = Json.MAPPER.createArrayNode();
            node.forEach(item -> copy.add(render(item, facts)));
            return copy;
        }
        return node;
    }

    public static String renderText(String template, JsonNode facts) {
        return replace(template, facts, false);
    }

    public static String renderPath(String template, JsonNode facts) {
        return replace(template, facts, true);
    }

    private static String replace(String template, JsonNode facts, boolean pathSafe) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = display(JsonPaths.at(facts, matcher.group(1)));
            matcher.appendReplacement(out, Matcher.quoteReplacement(pathSafe ? fileNameSafe(value) : value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String display(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        if (value.isArray() && allScalars(value)) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(item.asText()));
            return String.join(", ", items);
        }
        return value.toString();
    }

    private static boolean allScalars(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isValueNode()) {
                return false;
            }
        }
        return true;
    }

    static String fileNameSafe(String value) {
        String safe = value.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("\\.{2,}", "_");
        return safe.isEmpty() || safe.equals(".") ? "_" : safe;
    }
}
