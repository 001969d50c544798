package io.jobpipe.worker.agent.builtin;

import io.jobpipe.worker.agent.StageCall;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.agent.AgentOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.jobpipe.worker.agent.TestRequests.JOB_ID;
import static io.jobpipe.worker.agent.TestRequests.json;
import static io.jobpipe.worker.agent.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

class RecordAgentTest {
    @TempDir
    Path workspaceDir;

    private StageRequested requestWithOutputs() {
        ObjectNode outputs = Json.MAPPER.createObjectNode();
        outputs.set("validate", json("{\"valid\":true,\"fieldCount\":1,\"checked\":[]}"));
        outputs.set("act", json("{\"files\":[{\"path\":\"jobs/x/a.txt\",\"bytes\":100},{\"path\":\"jobs/x/b.txt\",\"bytes\":23}],"
                + "\"fileCount\":2,\"totalBytes\":123,\"skipped\":[]}"));
        return request("record", "shop", "webhook", json("{\"title\":\"t\"}"), outputs, Map.of());
    }

    @Test
    void shouldWriteTheRunRecordWithEveryOutputSoFar() throws Exception {
        AgentOutcome outcome = new RecordAgent(new Workspace(workspaceDir)).run(StageCall.of(requestWithOutputs()));

        Path runDir = workspaceDir.resolve("runs").resolve(JOB_ID);
        JsonNode run = Json.MAPPER.readTree(runDir.resolve("run.json").toFile());
        assertThat(run.path("jobId").asText()).isEqualTo(JOB_ID);
        assertThat(run.path("connection").asText()).isEqualTo("shop");
        assertThat(run.path("payload")).isEqualTo(json("{\"title\":\"t\"}"));
        assertThat(run.path("outputs").fieldNames()).toIterable().containsExactly("validate", "act");
        JsonNode output = ((AgentOutcome.Success) outcome).output();
        assertThat(output.path("files")).extracting(f -> f.path("path").asText())
                .containsExactly("runs/" + JOB_ID + "/metrics.json", "runs/" + JOB_ID + "/run.json");
        assertThat(Json.MAPPER.readTree(runDir.resolve("metrics.json").toFile()).toString()).isEqualTo(output.path("metrics").toString());
    }

    @Test
    void shouldMeasureEachStageAndTheBytesOfTheRun() {
        StageRequested request = requestWithOutputs();
        JsonNode metrics = ((AgentOutcome.Success) new RecordAgent(new Workspace(workspaceDir)).run(StageCall.of(request)))
                .output().path("metrics");

        long validateBytes = request.input().path("outputs").path("validate").toString().length();
        long actBytes = request.input().path("outputs").path("act").toString().length();
        assertThat(metrics.path("stageCount").asInt()).isEqualTo(2);
        assertThat(metrics.path("stages").get(0).path("stage").asText()).isEqualTo("validate");
        assertThat(metrics.path("stages").get(0).path("outputBytes").asLong()).isEqualTo(validateBytes);
        assertThat(metrics.path("stages").get(0).path("keys")).extracting(JsonNode::asText)
                .containsExactly("valid", "fieldCount", "checked");
        assertThat(metrics.path("outputBytes").asLong()).isEqualTo(validateBytes + actBytes);
        assertThat(metrics.path("filesWritten").asInt()).isEqualTo(2);
        assertThat(metrics.path("fileBytes").asLong()).isEqualTo(123);
        assertThat(metrics.path("totalBytes").asLong()).isEqualTo(validateBytes + actBytes + 123);
    }

    @Test
    void shouldWriteIdenticalArtifactsWhenRedelivered() throws Exception {
        RecordAgent agent = new RecordAgent(new Workspace(workspaceDir));
        AgentOutcome first = agent.run(StageCall.of(requestWithOutputs()));
        byte[] runJson = Files.readAllBytes(workspaceDir.resolve("runs").resolve(JOB_ID).resolve("run.json"));

        AgentOutcome second = agent.run(StageCall.of(requestWithOutputs()));

        assertThat(second).isEqualTo(first);
        assertThat(workspaceDir.resolve("runs").resolve(JOB_ID).resolve("run.json")).hasBinaryContent(runJson);
    }
}
