package io.jobpipe.worker.agent.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.agent.AgentCall;
import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.worker.agent.StageInput;
import io.jobpipe.worker.agent.builtin.rules.CelValues;
import io.jobpipe.worker.agent.builtin.rules.Rule;
import io.jobpipe.worker.agent.builtin.rules.RuleBook;
import io.jobpipe.worker.agent.builtin.rules.RuleLanguage;
import io.jobpipe.worker.agent.builtin.rules.RuleSet;
import io.jobpipe.worker.agent.builtin.rules.Templates;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the stage's rules ({@link RuleBook}: setting {@code rules} or {@code rulesFile}, else the built-in default
 * set) on the facts {@code {jobId, pipeline, stage, connection, eventType, deliveryId, event, enrichment, payload,
 * outputs}} and emits a plan: {@code {plan: {actions: [...]}, matchedRules: [...]}}. Each rule's {@code when} is a
 * CEL expression over those facts ({@link RuleLanguage}). Rules that do not compile fail non-retryably
 * ({@code InvalidRules}; the worker refuses to start with them, {@link io.jobpipe.worker.agent.builtin.rules.DecideRulesCheck}),
 * and so does a condition that fails on this job's facts ({@code RuleEvaluationFailed}: a missing key, a type that
 * does not fit). Deterministic, so a re-delivered request plans the same actions.
 */
public final class DecideAgent implements Agent {
    public static final String INVALID_RULES = "InvalidRules";
    public static final String RULE_EVALUATION_FAILED = "RuleEvaluationFailed";

    private final RuleBook rules;

    /** Rules from settings or the defaults; a {@code rulesFile} is looked for relative to the working directory. */
    public DecideAgent() {
        this(RuleBook.forPipelineFile(""));
    }

    public DecideAgent(RuleBook rules) {
        this.rules = rules;
    }

    @Override
    public AgentOutcome run(AgentCall call) {
        StageInput input = StageInput.of(call);
        RuleSet ruleSet;
        try {
            ruleSet = rules.forSettings(input.settings());
        } catch (RuleLanguage.InvalidRuleException e) {
            return AgentOutcome.failure(INVALID_RULES, e.getMessage(), false);
        }
        JsonNode facts = facts(input);
        Map<String, Object> variables = variables(facts);
        List<String> matched = new ArrayList<>();
        ArrayNode actions = Json.MAPPER.createArrayNode();
        for (Rule rule : ruleSet.rules()) {
            try {
                if (!rule.matches(variables)) {
                    continue;
                }
            } catch (RuleLanguage.RuleEvaluationException e) {
                return AgentOutcome.failure(RULE_EVALUATION_FAILED, ruleSet.origin() + ": rule '" + rule.name()
                        + "' failed on this job: " + e.getMessage() + hint(e.getMessage()), false);
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

    private static String hint(String message) {
        return message != null && message.contains("is not present in map")
                ? " (test for an optional field with has(), e.g. has(payload.x) && payload.x == 1)" : "";
    }

    static JsonNode facts(StageInput input) {
        CanonicalEvent event = EventNormalizer.canonicalEventOf(input);
        ObjectNode facts = Json.MAPPER.createObjectNode();
        facts.put("jobId", input.jobId());
        facts.put("pipeline", input.pipeline());
        facts.put("stage", input.stage());
        facts.put("connection", input.connection());
        facts.put("eventType", input.eventType());
        facts.put("deliveryId", input.deliveryId());
        facts.set("event", event.toJson());
        facts.set("enrichment", Enricher.enrichmentOf(input, event));
        facts.set("payload", input.payload());
        facts.set("outputs", input.outputs());
        return facts;
    }

    /**
     * The facts as CEL values, made once per decision. Every field of the canonical event is there, null when the
     * source did not say ({@code event.occurredAt == null} works without {@code has()}).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> variables(JsonNode facts) {
        Map<String, Object> variables = new HashMap<>();
        for (String name : RuleLanguage.VARIABLES.keySet()) {
            variables.put(name, CelValues.of(facts.get(name)));
        }
        if (variables.get("event") instanceof Map<?, ?> event) {
            Map<String, Object> complete = new HashMap<>((Map<String, Object>) event);
            for (var component : CanonicalEvent.class.getRecordComponents()) {
                complete.putIfAbsent(component.getName(), CelValues.of(null));
            }
            variables.put("event", complete);
        }
        return variables;
    }

    /** True when {@code node} looks like the output of the decide agent. */
    public static boolean isPlan(JsonNode node) {
        return node != null && node.path("plan").path("actions").isArray();
    }
}
