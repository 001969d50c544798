package io.jobpipe.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.runtime.supervisor.JobpipeRuntime;
import io.jobpipe.testing.OtlpTraceReceiver;
import io.jobpipe.testing.OtlpTraceReceiver.ReceivedSpan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One job is one trace, across four processes: the whole system as {@code ./jobpipe up} runs it, each service
 * exporting its spans over OTLP/HTTP (configured only by {@code OTEL_*} variables) to a collector inside this JVM
 * ({@link SharedSystem}).
 * The tree must read as the job ran: ingest's request span is the root, each orchestrator transition is a child of
 * the span its record carries, each stage's agent span a child of the transition that dispatched it, and the
 * projection's spans children of the transitions that wrote their events.
 */
@ExtendWith(SharedSystem.class)
class TraceTreeTest {
    private static final List<String> STAGES = List.of("validate", "normalize", "enrich", "decide", "act", "record", "notify");
    /** JobAccepted, a StageDispatched and a StageCompleted per stage, JobCompleted. */
    private static final int JOB_EVENTS = 2 + 2 * STAGES.size();
    private static final String INGEST = "ingest-service";
    private static final String ORCHESTRATOR = "orchestrator-service";
    private static final String WORKER = "agent-worker";
    private static final String STATUS = "status-service";

    private static OtlpTraceReceiver collector;
    private static JobpipeRuntime runtime;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void useTheSharedSystem() {
        collector = SharedSystem.get().collector();
        runtime = SharedSystem.get().runtime();
    }

    @Test
    void shouldRecordOneJobAsOneTraceAcrossAllFourServices() throws Exception {
        HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create(runtime.options().ingestUrl() + "/webhooks/demo"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"opened\",\"title\":\"trace me\"}"))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).isEqualTo(202);
        String jobId = Json.MAPPER.readTree(accepted.body()).path("jobId").asText();
        String traceId = accepted.headers().firstValue("X-Trace-Id").orElseThrow();
        awaitCompleted(jobId);

        // Spans arrive in batches from four processes: wait until the last ones (the projection's) are in.
        List<ReceivedSpan> spans = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> spansOf(jobId), found -> count(found, STATUS) >= JOB_EVENTS
                        && count(found, WORKER) >= STAGES.size() && count(found, INGEST) >= 1
                        && count(found, ORCHESTRATOR) >= 1 + STAGES.size());

        assertThat(spans).as("every span of the job is in the trace ingest answered with")
                .extracting(ReceivedSpan::traceId).containsOnly(traceId);
        assertThat(collector.spansOfTrace(traceId)).as("and nothing else is").hasSameSizeAs(spans);
        assertThat(spans).extracting(ReceivedSpan::service).containsOnly(INGEST, ORCHESTRATOR, WORKER, STATUS);
        Map<String, ReceivedSpan> byId = spans.stream().collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity()));
        assertThat(byId).as("span ids are unique").hasSameSizeAs(spans);

        ReceivedSpan root = single(spans, s -> s.isRoot());
        assertThat(root.service()).isEqualTo(INGEST);
        assertThat(root.name()).isEqualTo("POST /webhooks/{connection}");
        assertThat(root.attribute("jobpipe.connection")).isEqualTo("demo");
        assertThat(spans).filteredOn(s -> !s.isRoot()).as("every parent is in the trace")
                .allSatisfy(s -> assertThat(byId).containsKey(s.parentSpanId()));

        ReceivedSpan requested = single(spans, s -> s.name().equals("orchestrate JobRequested"));
        assertThat(requested.parentSpanId()).as("the transition of the request is a child of ingest's span")
                .isEqualTo(root.spanId());
        assertThat(requested.service()).isEqualTo(ORCHESTRATOR);

        ReceivedSpan dispatcher = requested;
        for (String stage : STAGES) {
            ReceivedSpan agent = single(spans, s -> s.name().equals("agent " + stage));
            assertThat(agent.service()).isEqualTo(WORKER);
            assertThat(agent.attribute("jobpipe.stage")).isEqualTo(stage);
            assertThat(agent.attribute("jobpipe.attempt")).isEqualTo("1");
            assertThat(agent.parentSpanId()).as("agent %s is a child of the transition that dispatched it", stage)
                    .isEqualTo(dispatcher.spanId());
            ReceivedSpan result = single(spans, s -> s.name().equals("orchestrate StageSucceeded")
                    && stage.equals(s.attribute("jobpipe.stage")));
            assertThat(result.parentSpanId()).as("the transition on %s's result is a child of its agent span", stage)
                    .isEqualTo(agent.spanId());
            dispatcher = result;
        }
        assertThat(dispatcher.attribute("jobpipe.emitted")).as("the last transition completes the job")
                .endsWith("JobCompleted");

        List<ReceivedSpan> projections = spans.stream().filter(s -> s.service().equals(STATUS)).toList();
        assertThat(projections).extracting(s -> s.attribute("jobpipe.job.seq")).as("one projection span per event")
                .containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.rangeClosed(1, JOB_EVENTS)
                        .mapToObj(Long::toString).toList());
        assertThat(projections).allSatisfy(s -> {
            assertThat(s.name()).startsWith("project ");
            assertThat(byId.get(s.parentSpanId()).service()).as("written by an orchestrator transition")
                    .isEqualTo(ORCHESTRATOR);
        });
        ReceivedSpan completed = single(projections, s -> s.name().equals("project JobCompleted"));
        assertThat(completed.parentSpanId()).isEqualTo(dispatcher.spanId());
    }

    private static List<ReceivedSpan> spansOf(String jobId) {
        return collector.spans().stream().filter(s -> jobId.equals(s.attribute("jobpipe.job.id"))).toList();
    }

    private static long count(List<ReceivedSpan> spans, String service) {
        return spans.stream().filter(s -> service.equals(s.service())).count();
    }

    private static ReceivedSpan single(List<ReceivedSpan> spans, java.util.function.Predicate<ReceivedSpan> which) {
        List<ReceivedSpan> matching = spans.stream().filter(which).toList();
        assertThat(matching).as("exactly one such span in %s", names(spans)).hasSize(1);
        return matching.get(0);
    }

    private static Set<String> names(List<ReceivedSpan> spans) {
        return spans.stream().map(s -> s.service() + ":" + s.name()).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private static void awaitCompleted(String jobId) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create(runtime.options().statusUrl() + "/jobs/" + jobId)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return false;
            }
            JsonNode job = Json.MAPPER.readTree(response.body());
            return job.path("state").asText().equals("COMPLETED");
        });
    }
}
