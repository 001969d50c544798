package io.jobpipe.worker.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.agent.AgentCall;
import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * The worker's {@link AgentCall}: a stage request's fields, plus where the agent's heartbeats, log lines and callback
 * URL come from. The log keeps its last {@link #LOG_LIMIT} characters: a chatty agent cannot grow a result record.
 */
public final class StageCall implements AgentCall {
    /** The tail of an attempt's log that travels with its result. */
    public static final int LOG_LIMIT = 16 * 1024;

    /** Where the worker sends what an agent reports while it runs. */
    public interface Hooks {
        Hooks NONE = new Hooks() {
        };

        default void heartbeat(String progress) {
        }

        default Optional<URI> callbackUrl() {
            return Optional.empty();
        }

        default Optional<String> traceparent() {
            return Optional.empty();
        }

        /** The call these hooks serve, once it exists: the worker reads its log when it reports the attempt itself. */
        default void callStarted(StageCall call) {
        }
    }

    private final StageRequested request;
    private final AgentSpec agent;
    private final Instant deadline;
    private final Hooks hooks;
    private final JsonNode input;
    private final StringBuilder log = new StringBuilder();
    private JsonNode settings;
    private boolean logTruncated;

    public StageCall(StageRequested request, Instant deadline, Hooks hooks) {
        this(request, request.agent(), deadline, hooks);
    }

    /** @param agent the spec the agent runs with: the request's, its sealed values opened ({@link SealedAgentSpecs}) */
    public StageCall(StageRequested request, AgentSpec agent, Instant deadline, Hooks hooks) {
        this.request = request;
        this.agent = agent;
        this.deadline = deadline;
        this.hooks = hooks;
        this.input = request.input() == null ? MissingNode.getInstance() : request.input();
    }

    /** A call with no hooks, its deadline the request's own: for tests and tools. */
    public static StageCall of(StageRequested request) {
        return new StageCall(request, request.deadline(), Hooks.NONE);
    }

    public StageRequested request() {
        return request;
    }

    /** The agent to run and its settings, in clear: never put it into a record or a message whole. */
    public AgentSpec agent() {
        return agent;
    }

    @Override
    public String jobId() {
        return request.jobId();
    }

    @Override
    public String pipeline() {
        return request.pipeline();
    }

    @Override
    public String stage() {
        return request.stage();
    }

    @Override
    public int attempt() {
        return request.attempt();
    }

    @Override
    public String idempotencyKey() {
        return request.idempotencyKey();
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public String connection() {
        return textOrNull(input.path("connection"));
    }

    @Override
    public String eventType() {
        return textOrNull(input.path("eventType"));
    }

    @Override
    public String deliveryId() {
        return textOrNull(input.path("deliveryId"));
    }

    @Override
    public JsonNode payload() {
        return input.path("payload");
    }

    @Override
    public ObjectNode outputs() {
        JsonNode outputs = input.path("outputs");
        return outputs.isObject() ? (ObjectNode) outputs : Json.MAPPER.createObjectNode();
    }

    /** The settings as JSON, converted once: an agent may read them more than once per call. */
    @Override
    public synchronized JsonNode settings() {
        if (settings == null) {
            settings = Json.MAPPER.valueToTree(agent.settings());
        }
        return settings;
    }

    @Override
    public Optional<String> traceparent() {
        return hooks.traceparent();
    }

    @Override
    public void heartbeat(String progress) {
        hooks.heartbeat(progress == null ? "" : progress);
    }

    @Override
    public synchronized void log(String line) {
        log.append(line == null ? "" : line).append('\n');
        if (log.length() > LOG_LIMIT) {
            log.delete(0, log.length() - LOG_LIMIT);
            logTruncated = true;
        }
    }

    /** The attempt's log (its tail, marked when cut), or null when the agent logged nothing. */
    public synchronized String logText() {
        if (log.length() == 0) {
            return null;
        }
        return logTruncated ? "[… earlier lines cut; the last " + LOG_LIMIT + " characters follow]\n" + log : log.toString();
    }

    @Override
    public Optional<URI> callbackUrl() {
        return hooks.callbackUrl();
    }

    private static String textOrNull(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }
}
