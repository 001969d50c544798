package io.jobpipe.worker.run;

import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineCatalogLoader;
import io.jobpipe.core.tracing.Telemetry;
import io.jobpipe.worker.agent.AgentRegistry;
import io.jobpipe.worker.agent.AgentRunner;
import io.jobpipe.worker.agent.SealedAgentSpecs;
import io.jobpipe.worker.agent.TestRequests;
import io.jobpipe.worker.agent.builtin.NotifyAgent;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.jobpipe.worker.agent.TestRequests.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stage request as the orchestrator writes it (inline secret and subscriber URL sealed) runs with the worker's own
 * plain values, and a worker whose pipeline file says otherwise fails the stage for good.
 */
class SealedStageRequestTest {
    private static final String FILE = """
            pipelines:
              default:
                stages:
                  - name: notify
                    settings:
                      subscribers:
                        - { url: "https://hooks.example.com/services/T0/s3cretpath", secret: hunter2 }
            """;
    private static final PipelineCatalog CATALOG = PipelineCatalogLoader.parse(FILE);

    private final List<URI> called = new ArrayList<>();
    private final List<String> signatures = new ArrayList<>();

    @Test
    void shouldRunWithTheWorkersPlainValuesAndPublishNoneOfThem() throws Exception {
        StageResult result = execute(new SealedAgentSpecs(CATALOG), sealedRequest());

        assertThat(result).isInstanceOf(StageResult.StageSucceeded.class);
        assertThat(called).containsExactly(URI.create("https://hooks.example.com/services/T0/s3cretpath"));
        assertThat(signatures).singleElement().asString().startsWith("v1,");
        String published = Json.MAPPER.writeValueAsString(result);
        assertThat(published).doesNotContain("hunter2", "s3cretpath").contains("https://hooks.example.com");
    }

    @Test
    void shouldFailForGoodWhenTheWorkersFileHasAnotherSecret() {
        SealedAgentSpecs other = new SealedAgentSpecs(PipelineCatalogLoader.parse(FILE.replace("hunter2", "other")));

        StageResult.StageFailed failed = (StageResult.StageFailed) execute(other, sealedRequest());

        assertThat(failed.errorType()).isEqualTo(SealedAgentSpecs.MISMATCH);
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.message()).contains("settings.subscribers[0].secret differs", "JOBPIPE_PIPELINES_FILE")
                .doesNotContain("hunter2").doesNotContain("other");
        assertThat(called).isEmpty();
    }

    @Test
    void shouldFailForGoodWhenTheWorkerHasNoSuchStageToOpenFrom() {
        StageResult.StageFailed failed = (StageResult.StageFailed) execute(SealedAgentSpecs.none(), sealedRequest());

        assertThat(failed.errorType()).isEqualTo(SealedAgentSpecs.UNAVAILABLE);
        assertThat(failed.retryable()).isFalse();
        assertThat(called).isEmpty();
    }

    @Test
    void shouldRunARequestWithNothingSealedAsItCame() {
        StageRequested plain = TestRequests.request(TestRequests.JOB_ID, "notify",
                CATALOG.pipeline("default").orElseThrow().stage(0).agent(), "shop", "webhook", json("{}"),
                Json.MAPPER.createObjectNode());

        assertThat(execute(SealedAgentSpecs.none(), plain)).isInstanceOf(StageResult.StageSucceeded.class);
        assertThat(called).hasSize(1);
    }

    /** The request of the orchestrator, which dispatches from the sealed catalog, as it comes out of Kafka. */
    private static StageRequested sealedRequest() {
        StageRequested request = TestRequests.request(TestRequests.JOB_ID, "notify",
                CATALOG.sealed().pipeline("default").orElseThrow().stage(0).agent(), "shop", "webhook", json("{}"),
                Json.MAPPER.createObjectNode());
        try {
            return Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(request), StageRequested.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private StageResult execute(SealedAgentSpecs agents, StageRequested request) {
        NotifyAgent notify = new NotifyAgent((url, headers, body) -> {
            called.add(url);
            signatures.add(headers.get("webhook-signature"));
            return 204;
        }, Clock.systemUTC(), name -> null);
        StageExecutor executor = new StageExecutor(new AgentRunner(new AgentRegistry(Map.of("notify", notify))),
                agents, Telemetry.tracer(OpenTelemetry.noop()), Clock.systemUTC());
        return executor.execute(request, Context.root()).result();
    }
}
