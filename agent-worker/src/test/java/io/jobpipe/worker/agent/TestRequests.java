package io.jobpipe.worker.agent;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/** Builds stage requests the way the orchestrator shapes them, for agent tests. */
public final class TestRequests {
    public static final String JOB_ID = "job_testJob123";

    private TestRequests() {
    }

    public static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, Object> settings(String json) {
        try {
            return Json.MAPPER.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sample payload from src/test/resources/payloads. */
    public static JsonNode payload(String name) {
        try (InputStream in = TestRequests.class.getResourceAsStream("/payloads/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no sample payload " + name);
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static StageRequested request(String stage, String connection, String eventType, JsonNode payload) {
        return request(stage, connection, eventType, payload, Json.MAPPER.createObjectNode(), Map.of());
    }

    public static StageRequested request(String stage, String connection, String eventType, JsonNode payload,
                                         ObjectNode outputs, Map<String, Object> settings) {
        return request(JOB_ID, stage, new AgentSpec("builtin", stage, settings), connection, eventType, payload, outputs);
    }

    public static StageRequested request(String jobId, String stage, AgentSpec agent, String connection,
                                         String eventType, JsonNode payload, ObjectNode outputs) {
        ObjectNode input = Json.MAPPER.createObjectNode();
        input.put("connection", connection);
        input.put("eventType", eventType);
        input.put("deliveryId", "delivery-1");
        input.set("payload", payload);
        input.set("outputs", outputs);
        return new StageRequested("evt_test", jobId, Instant.parse("2026-01-01T00:00:00Z"), "default", stage, 0, 1,
                agent, input, Instant.parse("2026-01-01T00:00:30Z"));
    }
}
