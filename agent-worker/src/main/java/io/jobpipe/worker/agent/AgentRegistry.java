package io.jobpipe.worker.agent;

import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.core.event.AgentSpec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Picks the agent for a stage's {@link AgentSpec} by its kind: {@code builtin:<name>} from the built-in set,
 * {@code java:<name>} from the users' agents found on the classpath ({@link UserAgents}), and any other kind the
 * worker was given ({@code http}, {@code command}). A kind or name nobody serves fails the attempt non-retryably
 * ({@code AgentKindUnsupported}, {@code AgentNotFound}), so a pipeline bound to it fails loudly instead of hanging.
 */
public final class AgentRegistry {
    public static final String BUILTIN = "builtin";
    public static final String JAVA = "java";
    public static final String AGENT_KIND_UNSUPPORTED = "AgentKindUnsupported";
    public static final String AGENT_NOT_FOUND = "AgentNotFound";

    /** Makes the agent of one spec of its kind; may return the same agent for every spec. */
    @FunctionalInterface
    public interface Kind {
        Agent agentFor(AgentSpec spec);
    }

    private final Map<String, Agent> builtins;
    private final Map<String, Agent> javaAgents;
    private final Map<String, Kind> kinds;

    public AgentRegistry(Map<String, Agent> builtins) {
        this(builtins, Map.of(), Map.of());
    }

    /**
     * @param builtins   {@code builtin:<name>}
     * @param javaAgents {@code java:<name>}, the users' own agents
     * @param kinds      the other kinds by name ({@code http}, {@code command})
     */
    public AgentRegistry(Map<String, Agent> builtins, Map<String, Agent> javaAgents, Map<String, Kind> kinds) {
        this.builtins = Map.copyOf(builtins);
        this.javaAgents = Map.copyOf(javaAgents);
        Map<String, Kind> all = new LinkedHashMap<>();
        all.put(BUILTIN, spec -> named(builtins, "built-in", spec.target()));
        all.put(JAVA, spec -> named(javaAgents, "Java (java:)", spec.target()));
        kinds.forEach((kind, factory) -> {
            if (all.putIfAbsent(kind, factory) != null) {
                throw new IllegalArgumentException("agent kind '" + kind + "' is served twice");
            }
        });
        this.kinds = Map.copyOf(all);
    }

    public Agent agentFor(AgentSpec spec) {
        Kind kind = kinds.get(spec.kind());
        if (kind == null) {
            return call -> AgentOutcome.failure(AGENT_KIND_UNSUPPORTED, "agent kind '" + spec.kind() + "' (" + spec
                    + ") is not served by this worker; its kinds: " + new TreeMap<>(kinds).keySet(), false);
        }
        return kind.agentFor(spec);
    }

    public Set<String> builtinNames() {
        return new TreeMap<>(builtins).keySet();
    }

    public Set<String> javaAgentNames() {
        return new TreeMap<>(javaAgents).keySet();
    }

    public Set<String> kindNames() {
        return new TreeMap<>(kinds).keySet();
    }

    private static Agent named(Map<String, Agent> agents, String what, String name) {
        Agent agent = agents.get(name);
        if (agent != null) {
            return agent;
        }
        return call -> AgentOutcome.failure(AGENT_NOT_FOUND, "no " + what + " agent named '" + name + "'; there are: "
                + (agents.isEmpty() ? "none" : new TreeMap<>(agents).keySet()), false);
    }
}
