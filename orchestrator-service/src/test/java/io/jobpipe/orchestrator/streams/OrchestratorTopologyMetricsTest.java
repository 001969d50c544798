package io.jobpipe.orchestrator.streams;

import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.event.Json;
import io.jobpipe.orchestrator.StreamsSettings;
import io.jobpipe.orchestrator.config.OrchestratorProperties;
import io.jobpipe.orchestrator.metrics.OrchestratorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static io.jobpipe.orchestrator.streams.OrchestratorTopologyTest.PIPELINES;
import static io.jobpipe.orchestrator.streams.OrchestratorTopologyTest.SETTINGS;
import static io.jobpipe.orchestrator.streams.OrchestratorTopologyTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** What the topology counts while jobs run: transitions by type and stage, jobs in flight, pending timers. */
class OrchestratorTopologyMetricsTest {
    final Topics topics = Topics.of("m.");
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    @TempDir
    Path stateDir;
    TopologyTestDriver driver;
    TestInputTopic<String, JobRequested> requests;
    TestInputTopic<String, StageResult> results;
    TestOutputTopic<String, StageRequested> fetchRequests;
    TestOutputTopic<String, StageRequested> storeRequests;

    @BeforeEach
    void startDriver() {
        OrchestratorProperties configuration = new OrchestratorProperties(Duration.ofMillis(50), null, 1,
                SETTINGS.commitGap(), SETTINGS.commitQuiet(), SETTINGS.finishedJobRetention(),
                SETTINGS.restartGrace(), SETTINGS.deadLetterRetention(), SETTINGS.maxReplaysPerJob(), null,
                Duration.ofSeconds(15));
        driver = new TopologyTestDriver(
                new OrchestratorTopology(topics, PIPELINES, OpenTelemetry.noop().getTracer("test"), SETTINGS)
                        .build(new OrchestratorMetrics(registry, PIPELINES)),
                StreamsSettings.properties("unused:9092", topics.namespace(), (short) 1, configuration,
                        stateDir.toString()),
                T0);
        requests = driver.createInputTopic(topics.jobsRequested.name(), new StringSerializer(),
                topics.jobsRequested.valueSerde().serializer());
        results = driver.createInputTopic(topics.stageResults.name(), new StringSerializer(),
                topics.stageResults.valueSerde().serializer());
        fetchRequests = stageTopic("fetch");
        storeRequests = stageTopic("store");
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void shouldCountTransitionsAndJobsInFlightUntilTheJobCompletes() {
        requests.pipeInput("job_a", request("job_a"));
        requests.pipeInput("job_b", request("job_b"));
        driver.advanceWallClockTime(Duration.ofMillis(100));

        assertThat(gauge(OrchestratorMetrics.JOBS_IN_FLIGHT)).isEqualTo(2);
        assertThat(gauge(OrchestratorMetrics.TIMERS_PENDING)).as("one attempt timeout per job").isEqualTo(2);

        answer(fetchRequests.readValue());
        answer(storeRequests.readValue());

        assertThat(gauge(OrchestratorMetrics.JOBS_IN_FLIGHT)).isEqualTo(1);
        assertThat(transitions("JobAccepted", OrchestratorMetrics.NO_STAGE)).isEqualTo(2);
        assertThat(transitions("StageDispatched", "fetch")).isEqualTo(2);
        assertThat(transitions("StageCompleted", "fetch")).isEqualTo(1);
        assertThat(transitions("StageCompleted", "store")).isEqualTo(1);
        assertThat(transitions("JobCompleted", OrchestratorMetrics.NO_STAGE)).isEqualTo(1);
        assertThat(transitions("JobDeadLettered", "fetch")).as("present before the first dead letter").isZero();
    }

    @Test
    void shouldCountADeadLetterAndEndTheJobsFlight() {
        requests.pipeInput("job_a", request("job_a"));
        for (int attempt = 1; attempt <= 3; attempt++) {
            fail(fetchRequests.readValue());
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }

        assertThat(transitions("StageAttemptFailed", "fetch")).isEqualTo(3);
        assertThat(transitions("JobDeadLettered", "fetch")).isEqualTo(1);
        assertThat(gauge(OrchestratorMetrics.JOBS_IN_FLIGHT)).isZero();
    }

    @Test
    void shouldLabelAResultForAStageNoPipelineHasAsUnknown() {
        requests.pipeInput("job_a", request("job_a"));
        results.pipeInput("job_a", new StageResult.StageSucceeded("evt_x", "job_a", T0, "made-up", 1, T0, 5, "done",
                Json.MAPPER.createObjectNode()));

        assertThat(transitions("LateResultIgnored", OrchestratorMetrics.UNKNOWN_STAGE)).isEqualTo(1);
        assertThat(registry.find(OrchestratorMetrics.TRANSITIONS).tag("stage", "made-up").counter()).isNull();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    private double transitions(String type, String stage) {
        return registry.get(OrchestratorMetrics.TRANSITIONS).tag("type", type).tag("stage", stage).counter().count();
    }

    private static JobRequested request(String jobId) {
        return new JobRequested("evt_req_" + jobId, jobId, T0, "github", "d-" + jobId, "push", "req-1",
                Json.MAPPER.createObjectNode().put("n", 1));
    }

    private void answer(StageRequested request) {
        results.pipeInput(request.jobId(), new StageResult.StageSucceeded("evt_ok", request.jobId(), T0,
                request.stage(), request.attempt(), T0, 5, "done", Json.MAPPER.createObjectNode()));
    }

    private void fail(StageRequested request) {
        results.pipeInput(request.jobId(), new StageResult.StageFailed("evt_fail", request.jobId(), T0,
                request.stage(), request.attempt(), T0, 5, "HttpTimeout", "agent timed out", true));
    }

    private TestOutputTopic<String, StageRequested> stageTopic(String stage) {
        return driver.createOutputTopic(topics.stage(stage).name(), Serdes.String().deserializer(),
                topics.stage(stage).valueSerde().deserializer());
    }
}
