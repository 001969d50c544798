package io.jobpipe.worker.agent;

import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentProvider;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/**
 * The users' own Java agents: every {@link AgentProvider} a jar on the worker's classpath lists in
 * {@code META-INF/services/io.jobpipe.agent.AgentProvider}, by name. A bad name, a name claimed twice, or a provider
 * that cannot make its agent stops the worker at start-up with the provider named, not at the first job.
 */
public final class UserAgents {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private UserAgents() {
    }

    public static Map<String, Agent> load(ClassLoader classLoader) {
        return of(ServiceLoader.load(AgentProvider.class, classLoader));
    }

    static Map<String, Agent> of(Iterable<AgentProvider> providers) {
        Map<String, Agent> agents = new LinkedHashMap<>();
        Map<String, String> claimedBy = new LinkedHashMap<>();
        for (AgentProvider provider : providers) {
            String source = provider.getClass().getName();
            String name = provider.name();
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalStateException("agent provider " + source + " has an invalid name '" + name
                        + "': use letters, digits, '.', '_' or '-' (at most 64)");
            }
            String earlier = claimedBy.putIfAbsent(name, source);
            if (earlier != null) {
                throw new IllegalStateException("two agent providers are named '" + name + "': " + earlier + " and "
                        + source + "; java:" + name + " must mean one agent");
            }
            Agent agent;
            try {
                agent = provider.create();
            } catch (RuntimeException e) {
                throw new IllegalStateException("agent provider " + source + " (java:" + name
                        + ") failed to create its agent: " + e.getMessage(), e);
            }
            if (agent == null) {
                throw new IllegalStateException("agent provider " + source + " (java:" + name + ") created no agent");
            }
            agents.put(name, agent);
        }
        return agents;
    }
}
