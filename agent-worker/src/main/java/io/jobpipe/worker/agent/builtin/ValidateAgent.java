package io.jobpipe.worker.agent.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.agent.AgentCall;
import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.worker.agent.JsonPaths;
import io.jobpipe.worker.agent.StageInput;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The payload must be a JSON object holding every required field. Settings: {@code requiredFields}
 * (dotted paths, for every connection) and {@code requiredFieldsByConnection} ({connection: [paths]}).
 * A missing or null field fails the job at once ({@code ValidationFailed}): the same payload stays invalid.
 */
public final class ValidateAgent implements Agent {
    public static final String VALIDATION_FAILED = "ValidationFailed";

    @Override
    public AgentOutcome run(AgentCall call) {
        StageInput input = StageInput.of(call);
        JsonNode payload = input.payload();
        if (!payload.isObject()) {
            String got = payload.isMissingNode() ? "nothing" : payload.getNodeType().name().toLowerCase();
            return AgentOutcome.failure(VALIDATION_FAILED, "payload must be a JSON object, got " + got, false);
        }
        List<String> checked = requiredFields(input);
        List<String> missing = checked.stream().filter(path -> !JsonPaths.present(payload, path)).toList();
        if (!missing.isEmpty()) {
            return AgentOutcome.failure(VALIDATION_FAILED, "payload is missing required field"
                    + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing), false);
        }
        ObjectNode output = Json.MAPPER.createObjectNode();
        output.put("valid", true);
        output.put("fieldCount", payload.size());
        ArrayNode checkedNode = output.putArray("checked");
        checked.forEach(checkedNode::add);
        return AgentOutcome.success(output, "payload valid: " + payload.size() + " top-level fields, "
                + checked.size() + " required field" + (checked.size() == 1 ? "" : "s") + " present");
    }

    private static List<String> requiredFields(StageInput input) {
        Set<String> fields = new LinkedHashSet<>(strings(input.setting("requiredFields")));
        if (input.connection() != null) {
            fields.addAll(strings(input.setting("requiredFieldsByConnection").path(input.connection())));
        }
        return new ArrayList<>(fields);
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(item -> {
                if (item.isTextual() && !item.asText().isBlank()) {
                    values.add(item.asText().trim());
                }
            });
        } else if (node.isTextual()) {
            for (String part : node.asText().split(",")) {
                if (!part.isBlank()) {
                    values.add(part.trim());
                }
            }
        }
        return values;
    }
}
