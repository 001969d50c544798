package io.jobpipe.worker.agent.builtin.rules;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A named rule: when its condition holds (a CEL expression, {@link RuleLanguage}; no {@code when} means always), its
 * actions join the plan. {@code stop: true} ends evaluation.
 *
 * @param when null when the rule always applies
 */
public record Rule(String name, RuleLanguage.Condition when, List<JsonNode> actions, boolean stop) {
    private static final Set<String> KEYS = Set.of("name", "description", "when", "actions", "stop");

    public Rule {
        actions = List.copyOf(actions);
    }

    public static Rule fromJson(JsonNode node, int index) {
        if (!node.isObject()) {
            throw new RuleLanguage.InvalidRuleException("rules[" + index + "] must be an object with name, when, actions");
        }
        String name = node.path("name").asText("rule-" + (index + 1));
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new RuleLanguage.InvalidRuleException("rule '" + name + "': unknown key '" + key
                        + "'; a rule has " + new java.util.TreeSet<>(KEYS));
            }
        }
        JsonNode actions = node.path("actions");
        if (!actions.isArray() || actions.isEmpty()) {
            throw new RuleLanguage.InvalidRuleException("rule '" + name + "': 'actions' must be a non-empty list");
        }
        List<JsonNode> list = new ArrayList<>();
        for (JsonNode action : actions) {
            if (!action.path("type").isTextual()) {
                throw new RuleLanguage.InvalidRuleException("rule '" + name + "': every action needs a 'type'");
            }
            list.add(action);
        }
        return new Rule(name, condition(name, node.path("when")), list, node.path("stop").asBoolean(false));
    }

    private static RuleLanguage.Condition condition(String name, JsonNode when) {
        if (when.isMissingNode() || when.isNull()) {
            return null;
        }
        if (!when.isTextual()) {
            throw new RuleLanguage.InvalidRuleException("rule '" + name + "': 'when' must be a CEL expression (text), "
                    + "like \"event.source == 'github' && enrichment.priority in ['high', 'urgent']\"; got "
                    + when.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + (when.isObject() ? " (the {path: value} form is gone: write it in CEL)" : ""));
        }
        return RuleLanguage.compile(name, when.asText());
    }

    /** @param variables the rule variables as CEL values, made once for all rules of a decision */
    public boolean matches(Map<String, Object> variables) throws RuleLanguage.RuleEvaluationException {
        return when == null || when.test(variables);
    }
}
