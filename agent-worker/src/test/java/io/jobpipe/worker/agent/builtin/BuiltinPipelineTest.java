package io.jobpipe.worker.agent.builtin;

import io.jobpipe.worker.agent.StageCall;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.pipeline.PipelineCatalogLoader;
import io.jobpipe.core.pipeline.PipelineDefinition;
import io.jobpipe.core.pipeline.StageDefinition;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.worker.agent.AgentRegistry;
import io.jobpipe.worker.agent.AgentRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static io.jobpipe.worker.agent.TestRequests.JOB_ID;
import static io.jobpipe.worker.agent.TestRequests.payload;
import static io.jobpipe.worker.agent.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

/** The seven built-in agents of the default pipeline, chained the way the orchestrator chains their outputs. */
class BuiltinPipelineTest {
    @TempDir
    Path workspaceDir;

    @Test
    void shouldRunTheDefaultPipelineOnAGitHubPullRequest() {
        AgentRunner runner = new AgentRunner(new AgentRegistry(BuiltinAgents.create(new Workspace(workspaceDir),
                (url, headers, body) -> 200, Clock.systemUTC(), name -> null)));
        PipelineDefinition pipeline = PipelineCatalogLoader.loadDefault().pipeline("default").orElseThrow();
        ObjectNode outputs = Json.MAPPER.createObjectNode();
        List<String> summaries = new ArrayList<>();

        for (StageDefinition stage : pipeline.stages()) {
            AgentSpec agent = stage.agent();
            AgentOutcome outcome = runner.run(StageCall.of(request(JOB_ID, stage.name(), agent, "github", "pull_request",
                    payload("github-pull-request"), outputs.deepCopy())));
            assertThat(outcome).as(stage.name()).isInstanceOf(AgentOutcome.Success.class);
            outputs.set(stage.name(), ((AgentOutcome.Success) outcome).output());
            summaries.add(stage.name() + ": " + ((AgentOutcome.Success) outcome).summary());
        }

        assertThat(summaries).containsExactly(
                "validate: payload valid: 5 top-level fields, 0 required fields present",
                "normalize: github pull_request.opened by octocat: #42 Fix critical login timeout",
                "enrich: high priority, " + outputs.path("enrich").path("sizeBytes").asLong()
                        + " bytes, 18 fields, keywords: login, fix, critical, timeout, page, times, load, fixes, session, pool",
                "decide: 4 actions planned by summarize-event, escalate-high-priority, track-pull-requests",
                "act: wrote 3 files (" + outputs.path("act").path("totalBytes").asLong() + " bytes), left 1 to later stages",
                "record: recorded 5 stage outputs and 3 act files, " + outputs.path("record").path("metrics").path("totalBytes").asLong()
                        + " bytes in all",
                "notify: no subscribers configured; nothing delivered");
        assertThat(workspaceDir.resolve("jobs").resolve(JOB_ID).resolve("summary.md")).isRegularFile();
        assertThat(workspaceDir.resolve("jobs").resolve(JOB_ID).resolve("alerts/high-priority.json")).isRegularFile();
        JsonNode runRecord = outputs.path("record").path("files");
        assertThat(runRecord).extracting(f -> f.path("path").asText()).contains("runs/" + JOB_ID + "/run.json");
    }
}
