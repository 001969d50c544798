package io.jobpipe.core.event;

import java.util.Map;
import java.util.Objects;

/**
 * Which agent runs a stage, as the pipeline definition binds it: {@code builtin:validate},
 * {@code http:https://…} or {@code command:…}, plus free-form settings for that agent.
 */
public record AgentSpec(String kind, String target, Map<String, Object> settings) {

    public AgentSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    public static AgentSpec builtin(String name) {
        return new AgentSpec("builtin", name, Map.of());
    }

    /** Parses the short form used in pipeline YAML: {@code kind:target}. */
    public static AgentSpec parse(String shortForm, Map<String, Object> settings) {
        int colon = shortForm == null ? -1 : shortForm.indexOf(':');
        if (colon <= 0 || colon == shortForm.length() - 1) {
            throw new IllegalArgumentException("agent must look like 'kind:target' (e.g. builtin:validate), got '" + shortForm + "'");
        }
        return new AgentSpec(shortForm.substring(0, colon), shortForm.substring(colon + 1), settings);
    }

    @Override
    public String toString() {
        return kind + ":" + target;
    }
}
