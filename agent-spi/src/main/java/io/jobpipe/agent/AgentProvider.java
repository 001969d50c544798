package io.jobpipe.agent;

/**
 * How a user's own Java agent reaches the worker: a jar on the worker's classpath that lists its provider in
 * {@code META-INF/services/io.jobpipe.agent.AgentProvider}. A pipeline binds it as {@code java:<name>}.
 * The worker creates each agent once, at start-up; a name that two providers claim stops the worker with both named.
 */
public interface AgentProvider {

    /** The name a pipeline file binds, as in {@code agent: java:<name>}: letters, digits, {@code - _ .}. */
    String name();

    Agent create();
}
