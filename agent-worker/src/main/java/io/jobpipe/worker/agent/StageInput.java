package io.jobpipe.worker.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.agent.AgentCall;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A typed view of what an agent works on: the request's {@code input}
 * ({@code {"connection","eventType","deliveryId","payload","outputs":{stage: output}}}) and its stage settings.
 */
public record StageInput(String jobId, String pipeline, String stage, int attempt, String idempotencyKey,
                         String connection, String eventType, String deliveryId,
                         JsonNode payload, ObjectNode outputs, JsonNode settings) {

    public static StageInput of(AgentCall call) {
        return new StageInput(call.jobId(), call.pipeline(), call.stage(), call.attempt(), call.idempotencyKey(),
                call.connection(), call.eventType(), call.deliveryId(), call.payload(), call.outputs(), call.settings());
    }

    /** The output of {@code stage}, if that stage ran before this one. */
    public Optional<JsonNode> output(String stage) {
        JsonNode node = outputs.get(stage);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node);
    }

    /**
     * The output of {@code preferredStage}, or else the latest earlier output of the right shape: a
     * pipeline may rename its stages, but a plan still looks like a plan.
     */
    public Optional<JsonNode> findOutput(String preferredStage, Predicate<JsonNode> shape) {
        Optional<JsonNode> preferred = output(preferredStage).filter(shape);
        if (preferred.isPresent()) {
            return preferred;
        }
        JsonNode found = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = outputs.fields(); it.hasNext(); ) {
            JsonNode candidate = it.next().getValue();
            if (candidate != null && shape.test(candidate)) {
                found = candidate;
            }
        }
        return Optional.ofNullable(found);
    }

    public JsonNode setting(String name) {
        return settings.path(name);
    }

}
