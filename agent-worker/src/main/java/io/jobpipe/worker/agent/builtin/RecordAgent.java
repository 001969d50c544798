package io.jobpipe.worker.agent.builtin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.agent.AgentCall;
import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentException;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.worker.agent.StageInput;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Stores the run's artifacts under the workspace: {@code runs/<jobId>/run.json} (the job, its input and
 * every output so far) and {@code runs/<jobId>/metrics.json} (per stage: output size, field count and
 * keys; files the act stage wrote; total bytes). Outputs the metrics. Idempotent like {@link ActAgent}.
 */
public final class RecordAgent implements Agent {
    public static final String RUNS_AREA = "runs";

    private final Workspace workspace;

    public RecordAgent(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public AgentOutcome run(AgentCall call) {
        StageInput input = StageInput.of(call);
        ObjectNode metrics = metrics(input);

        ObjectNode run = Json.MAPPER.createObjectNode();
        run.put("jobId", input.jobId());
        run.put("pipeline", input.pipeline());
        run.put("connection", input.connection());
        run.put("eventType", input.eventType());
        run.put("deliveryId", input.deliveryId());
        run.put("recordedBy", input.stage());
        run.set("payload", input.payload());
        run.set("outputs", input.outputs());
        run.set("metrics", metrics);

        ObjectNode output = Json.MAPPER.createObjectNode();
        ArrayNode files = output.putArray("files");
        for (Map.Entry<String, JsonNode> artifact : Map.of("run.json", (JsonNode) run, "metrics.json", metrics)
                .entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            Workspace.WrittenFile written = workspace.write(RUNS_AREA, input.jobId(), artifact.getKey(),
                    pretty(artifact.getValue()));
            files.addObject().put("path", written.path()).put("bytes", written.bytes()).put("sha256", written.sha256());
        }
        output.set("metrics", metrics);
        return AgentOutcome.success(output, "recorded " + metrics.path("stageCount").asInt() + " stage outputs and "
                + metrics.path("filesWritten").asInt() + " act files, " + metrics.path("totalBytes").asLong()
                + " bytes in all");
    }

    static ObjectNode metrics(StageInput input) {
        ObjectNode metrics = Json.MAPPER.createObjectNode();
        ArrayNode stages = metrics.putArray("stages");
        long outputBytes = 0;
        long fileBytes = 0;
        int filesWritten = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = input.outputs().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode output = entry.getValue();
            long bytes = Enricher.bytes(output).length;
            outputBytes += bytes;
            ObjectNode stage = stages.addObject();
            stage.put("stage", entry.getKey());
            stage.put("outputBytes", bytes);
            stage.put("fieldCount", Enricher.countFields(output));
            ArrayNode keys = stage.putArray("keys");
            output.fieldNames().forEachRemaining(keys::add);
            if (output.path("files").isArray() && output.has("totalBytes")) {
                filesWritten += output.path("files").size();
                fileBytes += output.path("totalBytes").asLong();
            }
        }
        metrics.put("stageCount", stages.size());
        metrics.put("outputBytes", outputBytes);
        metrics.put("payloadBytes", Enricher.bytes(input.payload()).length);
        metrics.put("filesWritten", filesWritten);
        metrics.put("fileBytes", fileBytes);
        metrics.put("totalBytes", outputBytes + fileBytes);
        return metrics;
    }

    private static byte[] pretty(JsonNode node) {
        try {
            return (Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw AgentException.permanent("InvalidOutput", "cannot write the run record: " + e.getMessage());
        }
    }
}
