package io.jobpipe.worker.agent.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.agent.AgentCall;
import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.worker.agent.StageInput;
import io.jobpipe.worker.agent.builtin.rules.Rule;
import io.jobpipe.worker.agent.builtin.rules.RuleSet;
import io.jobpipe.worker.agent.builtin.rules.Templates;

import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates the stage's rules (setting {@code rules}, else the built-in default set) on the facts
 * {@code {jobId, pipeline, connection, eventType, deliveryId, event, enrichment, payload}} and emits a plan:
 * {@code {plan: {actions: [...]}, matchedRules: [...]}}. A malformed rule set fails non-retryably
 * ({@code InvalidRules}). Deterministic, so a re-delivered request plans the same actions.
 */
public final class DecideAgent implements Agent {
    public static final String INVALID_RULES = "InvalidRules";

    @Override
    public AgentOutcome run(AgentCall call) {
        StageInput input = StageInput.of(call);
        RuleSet ruleSet;
        try {
            ruleSet = RuleSet.fromSettings(input.setting("rules"));
        } catch (IllegalArgumentException e) {
            return AgentOutcome.failure(INVALID_RULES, e.getMessage(), false);
        }
        JsonNode facts = facts(input);
        List<String> matched = new ArrayList<>();
        ArrayNode actions = Json.MAPPER.createArrayNode();
        for (Rule rule : ruleSet.rules()) {
            if (!rule.matches(facts)) {
                continue;
            }
            matched.add(rule.name());
            for (JsonNode action : rule.actions()) {
                ObjectNode rendered = (ObjectNode) Templates.renderAction(action, facts);
                rendered.put("rule", rule.name());
                actions.add(rendered);
            }
            if (rule.stop()) {
                break;
            }
        }
        ObjectNode output = Json.MAPPER.createObjectNode();
        output.putObject("plan").set("actions", actions);
        ArrayNode matchedNode = output.putArray("matchedRules");
        matched.forEach(matchedNode::add);
        output.put("ruleSet", ruleSet.origin());
        output.put("rulesEvaluated", ruleSet.rules().size());
        return AgentOutcome.success(output, actions.size() + " action" + (actions.size() == 1 ? "" : "s")
                + " planned by " + (matched.isEmpty() ? "no rule" : String.join(", ", matched)));
    }

    static JsonNode facts(StageInput input) {
        CanonicalEvent event = EventNormalizer.canonicalEventOf(input);
        ObjectNode facts = Json.MAPPER.createObjectNode();
        facts.put("jobId", input.jobId());
        facts.put("pipeline", input.pipeline());
        facts.put("connection", input.connection());
        facts.put("eventType", input.eventType());
        facts.put("deliveryId", input.deliveryId());
        facts.set("event", event.toJson());
        facts.set("enrichment", Enricher.enrichmentOf(input, event));
        facts.set("payload", input.payload());
        return facts;
    }

    /** True when {@code node} looks like the output of the decide agent. */
    public static boolean isPlan(JsonNode node) {
        return node != null && node.path("plan").path("actions").isArray();
    }
}
