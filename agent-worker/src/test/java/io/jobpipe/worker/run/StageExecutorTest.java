package io.jobpipe.worker.run;

import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.jobpipe.core.tracing.SpanAttributes;
import io.jobpipe.core.tracing.Telemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.worker.agent.AgentRegistry;
import io.jobpipe.worker.agent.AgentRunner;
import io.jobpipe.worker.agent.TestRequests;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;

import static io.jobpipe.worker.agent.TestRequests.json;
import static org.assertj.core.api.Assertions.assertThat;

class StageExecutorTest {
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
    private final StageExecutor executor = new StageExecutor(new AgentRunner(new AgentRegistry(Map.of(
            "ok", request -> AgentOutcome.success(json("{\"n\":1}"), "did it"),
            "bad", request -> AgentOutcome.failure("Nope", "no way", false),
            "traced", call -> AgentOutcome.success(json("{}"), call.traceparent().orElse("none"))))),
            Telemetry.tracer(sdk), Clock.systemUTC());

    @AfterEach
    void close() {
        sdk.close();
    }

    private static StageRequested requestFor(String agent) {
        return TestRequests.request("job_1", "enrich", AgentSpec.builtin(agent), "shop", "webhook", json("{}"),
                Json.MAPPER.createObjectNode());
    }

    private static Context parent() {
        RecordHeaders headers = new RecordHeaders();
        KafkaTraceHeaders.setTraceparent(headers, TRACEPARENT);
        return KafkaTraceHeaders.extract(headers);
    }

    @Test
    void shouldRunTheAgentInAChildSpanOfTheRequestsTrace() {
        StageExecutor.Execution execution = executor.execute(requestFor("ok"), parent());

        assertThat(execution.span().getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(execution.span().getSpanId()).isNotEqualTo("00f067aa0ba902b7");
        assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span -> {
            assertThat(span.getName()).isEqualTo("agent enrich");
            assertThat(span.getParentSpanId()).as("the request's context").isEqualTo("00f067aa0ba902b7");
            assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(span.getAttributes().get(SpanAttributes.JOB_ID)).isEqualTo("job_1");
            assertThat(span.getAttributes().get(SpanAttributes.STAGE)).isEqualTo("enrich");
            assertThat(span.getAttributes().get(SpanAttributes.ATTEMPT)).isEqualTo(1L);
            assertThat(span.getAttributes().get(SpanAttributes.AGENT)).isEqualTo("builtin:ok");
        });
        assertThat(execution.result()).isInstanceOfSatisfying(StageResult.StageSucceeded.class, s -> {
            assertThat(s.jobId()).isEqualTo("job_1");
            assertThat(s.stage()).isEqualTo("enrich");
            assertThat(s.attempt()).isEqualTo(1);
            assertThat(s.summary()).isEqualTo("did it");
            assertThat(s.output()).isEqualTo(json("{\"n\":1}"));
            assertThat(s.durationMs()).isGreaterThanOrEqualTo(0);
            assertThat(s.startedAt()).isBeforeOrEqualTo(s.occurredAt());
            assertThat(s.eventId()).startsWith("evt_");
        });
    }

    @Test
    void shouldReportAFailureWithItsClassification() {
        StageResult result = executor.execute(requestFor("bad"), Context.root()).result();

        assertThat(result).isInstanceOfSatisfying(StageResult.StageFailed.class, f -> {
            assertThat(f.errorType()).isEqualTo("Nope");
            assertThat(f.message()).isEqualTo("no way");
            assertThat(f.retryable()).isFalse();
        });
        assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span -> {
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(span.getAttributes().get(SpanAttributes.ERROR_TYPE)).isEqualTo("Nope");
            assertThat(span.getAttributes().get(SpanAttributes.RETRYABLE)).isFalse();
        });
    }

    @Test
    void shouldGiveTheAgentTheTraceparentOfItsOwnSpanToPassOn() {
        StageExecutor.Execution execution = executor.execute(requestFor("traced"), parent());

        assertThat(((StageResult.StageSucceeded) execution.result()).summary()).isEqualTo(
                "00-4bf92f3577b34da6a3ce929d0e0e4736-" + execution.span().getSpanId() + "-01");
    }
}
