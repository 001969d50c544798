package io.jobpipe.worker.agent.builtin.rules;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Ordered, compiled rules and where they came from ({@code default}, {@code settings} or {@code file <path>}).
 * Immutable: one instance serves every decision on every agent thread.
 */
public record RuleSet(String origin, List<Rule> rules) {

    public RuleSet {
        rules = List.copyOf(rules);
    }

    /**
     * Compiles every rule of {@code array}.
     *
     * @throws RuleLanguage.InvalidRuleException naming {@code origin}, the rule, and where its problem is
     */
    public static RuleSet parse(String origin, JsonNode array) {
        if (array == null || !array.isArray()) {
            throw new RuleLanguage.InvalidRuleException(origin + ": rules must be a list of {name, when, actions, stop}");
        }
        List<Rule> parsed = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            Rule rule;
            try {
                rule = Rule.fromJson(array.get(i), i);
            } catch (RuleLanguage.InvalidRuleException e) {
                throw new RuleLanguage.InvalidRuleException(origin + ": " + e.getMessage());
            }
            if (!names.add(rule.name())) {
                throw new RuleLanguage.InvalidRuleException(origin + ": two rules are named '" + rule.name()
                        + "'; matchedRules must say which one matched");
            }
            parsed.add(rule);
        }
        return new RuleSet(origin, parsed);
    }
}
