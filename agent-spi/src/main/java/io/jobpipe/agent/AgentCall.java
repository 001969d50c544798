package io.jobpipe.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/** What one attempt of a stage gives its agent: the job's context, its keys and deadline, and ways to report back. */
public interface AgentCall {

    String jobId();

    String pipeline();

    String stage();

    /** 1 for the first attempt; grows with every retry and replay. */
    int attempt();

    /** {@code <jobId>:<stage>}, the same on every attempt of the stage: key side effects on it. */
    String idempotencyKey();

    /** When the worker stops waiting for this attempt: its start plus the stage timeout. */
    Instant deadline();

    /** The webhook's connection ({@code github}, {@code slack}, …), event type and delivery id. */
    String connection();

    String eventType();

    String deliveryId();

    /** The webhook's body as JSON. */
    JsonNode payload();

    /** The outputs of the stages that ran before this one, by stage name. */
    ObjectNode outputs();

    /** The stage's {@code settings} from the pipeline file (an empty object when it has none). */
    JsonNode settings();

    /** The W3C traceparent of the agent's span, to pass on to whatever the agent calls. */
    Optional<String> traceparent();

    /**
     * Tells the job's watchers the agent is alive and how far it got ({@code "page 3 of 7"}): shown on the job's
     * page. Cheap to call often; the worker sends at most one a second.
     */
    void heartbeat(String progress);

    /** Appends one line to the attempt's log, kept with its result and shown on the job's page (the tail is kept). */
    void log(String line);

    /**
     * The URL at which an asynchronous agent posts this attempt's result later ({@code <public base>/callbacks/<token>}),
     * when the worker has a public base URL configured; the agent then returns {@link AgentOutcome#pending}.
     */
    Optional<URI> callbackUrl();
}
