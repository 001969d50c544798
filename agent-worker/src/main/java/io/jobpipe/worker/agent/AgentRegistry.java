package io.jobpipe.worker.agent;

import io.jobpipe.core.event.AgentSpec;

import java.util.Map;
import java.util.TreeMap;

/**
 * Picks the agent for a stage's {@link AgentSpec}: {@code builtin:<name>} from the built-in set; the
 * {@code http} and {@code command} kinds are not implemented by this worker yet and fail the attempt
 * non-retryably with {@code AgentKindUnsupported}, so a pipeline bound to them fails loudly instead of hanging.
 */
public final class AgentRegistry {
    public static final String BUILTIN = "builtin";
    public static final String AGENT_KIND_UNSUPPORTED = "AgentKindUnsupported";
    public static final String AGENT_NOT_FOUND = "AgentNotFound";

    private final Map<String, Agent> builtins;

    public AgentRegistry(Map<String, Agent> builtins) {
        this.builtins = Map.copyOf(builtins);
    }

    public Agent agentFor(AgentSpec spec) {
        return switch (spec.kind()) {
            case BUILTIN -> builtin(spec.target());
            case "http", "command" -> request -> AgentOutcome.failure(AGENT_KIND_UNSUPPORTED,
                    "agent kind '" + spec.kind() + "' (" + spec + ") is not supported by this worker yet;"
                            + " only builtin agents run here: " + builtinNames(), false);
            default -> request -> AgentOutcome.failure(AGENT_KIND_UNSUPPORTED,
                    "unknown agent kind '" + spec.kind() + "' in " + spec + "; known kinds: builtin, http, command", false);
        };
    }

    public java.util.Set<String> builtinNames() {
        return new TreeMap<>(builtins).keySet();
    }

    private Agent builtin(String name) {
        Agent agent = builtins.get(name);
        if (agent != null) {
            return agent;
        }
        return request -> AgentOutcome.failure(AGENT_NOT_FOUND,
                "no built-in agent named '" + name + "'; built-in agents: " + builtinNames(), false);
    }
}
