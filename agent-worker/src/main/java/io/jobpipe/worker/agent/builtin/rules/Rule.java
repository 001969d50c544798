package io.jobpipe.worker.agent.builtin.rules;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** A named rule: when every condition holds, its actions join the plan. {@code stop: true} ends evaluation. */
public record Rule(String name, List<Condition> conditions, List<JsonNode> actions, boolean stop) {

    public Rule {
        conditions = List.copyOf(conditions);
        actions = List.copyOf(actions);
    }

    public static Rule fromJson(JsonNode node, int index) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("rules[" + index + "] must be an object with name, when, actions");
        }
        String name = node.path("name").asText("rule-" + (index + 1));
        JsonNode actions = node.path("actions");
        if (!actions.isArray() || actions.isEmpty()) {
            throw new IllegalArgumentException("rule '" + name + "': 'actions' must be a non-empty list");
        }
        List<JsonNode> list = new ArrayList<>();
        for (JsonNode action : actions) {
            if (!action.path("type").isTextual()) {
                throw new IllegalArgumentException("rule '" + name + "': every action needs a 'type'");
            }
            list.add(action);
        }
        return new Rule(name, Condition.parse(name, node.path("when")), list, node.path("stop").asBoolean(false));
    }

    public boolean matches(JsonNode facts) {
        return conditions.stream().allMatch(condition -> condition.test(facts));
    }
}
