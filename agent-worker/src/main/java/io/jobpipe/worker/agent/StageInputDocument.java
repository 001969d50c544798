package io.jobpipe.worker.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.agent.AgentCall;
import io.jobpipe.core.event.Json;

/**
 * The JSON an external agent gets for one attempt (a command's stdin, an HTTP agent's request body):
 * {@code {jobId, pipeline, stage, attempt, idempotencyKey, connection, eventType, deliveryId, payload, outputs}}.
 * One shape for every kind, so a program can move from a command to a service without changing its input.
 */
public final class StageInputDocument {
    private StageInputDocument() {
    }

    public static ObjectNode of(AgentCall call) {
        ObjectNode document = Json.MAPPER.createObjectNode();
        document.put("jobId", call.jobId());
        document.put("pipeline", call.pipeline());
        document.put("stage", call.stage());
        document.put("attempt", call.attempt());
        document.put("idempotencyKey", call.idempotencyKey());
        document.put("connection", call.connection());
        document.put("eventType", call.eventType());
        document.put("deliveryId", call.deliveryId());
        document.set("payload", call.payload().isMissingNode() ? null : call.payload());
        document.set("outputs", call.outputs());
        return document;
    }
}
