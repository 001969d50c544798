package io.jobpipe.orchestrator.streams;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.orchestrator.StreamsSettings;
import io.jobpipe.orchestrator.config.OrchestratorProperties;
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
import java.time.Instant;

import static io.jobpipe.orchestrator.streams.OrchestratorTopologyTest.PIPELINES;
import static io.jobpipe.orchestrator.streams.OrchestratorTopologyTest.SETTINGS;
import static io.jobpipe.orchestrator.streams.OrchestratorTopologyTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** A job id starts one job for a week: a second JobRequested is ignored long after the job left the state store. */
class DuplicateJobRequestFilterTest {
    private final Topics topics = Topics.of("t.");
    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, JobRequested> requests;
    private TestInputTopic<String, StageResult> results;
    private TestOutputTopic<String, JobEvent> events;
    private TestOutputTopic<String, StageRequested> fetchRequests;
    private TestOutputTopic<String, StageRequested> storeRequests;

    @BeforeEach
    void startDriver() {
        OrchestratorProperties configuration = new OrchestratorProperties(Duration.ofMillis(50), null, 1,
                SETTINGS.commitGap(), SETTINGS.commitQuiet(), SETTINGS.finishedJobRetention(),
                SETTINGS.restartGrace(), SETTINGS.deadLetterRetention(), SETTINGS.maxReplaysPerJob(), null,
                Duration.ofSeconds(15));
        driver = new TopologyTestDriver(
                new OrchestratorTopology(topics, PIPELINES, OpenTelemetry.noop().getTracer("test"), SETTINGS).build(),
                StreamsSettings.properties("unused:9092", topics.namespace(), (short) 1, configuration,
                        stateDir.toString()), T0);
        requests = driver.createInputTopic(topics.jobsRequested.name(), new StringSerializer(),
                topics.jobsRequested.valueSerde().serializer());
        results = driver.createInputTopic(topics.stageResults.name(), new StringSerializer(),
                topics.stageResults.valueSerde().serializer());
        events = driver.createOutputTopic(topics.jobEvents.name(), Serdes.String().deserializer(),
                topics.jobEvents.valueSerde().deserializer());
        fetchRequests = driver.createOutputTopic(topics.stage("fetch").name(), Serdes.String().deserializer(),
                topics.stage("fetch").valueSerde().deserializer());
        storeRequests = driver.createOutputTopic(topics.stage("store").name(), Serdes.String().deserializer(),
                topics.stage("store").valueSerde().deserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void shouldNeverStartASecondJobForAJobIdWithinAWeekEvenAfterTheFirstWasForgotten() {
        request("job_a", T0);
        answer(fetchRequests.readValue());
        answer(storeRequests.readValue());
        assertThat(events.readValuesToList()).last().isInstanceOf(JobEvent.JobCompleted.class);
        // Past the finished-job retention: job_a has left the job-state store.
        driver.advanceWallClockTime(SETTINGS.finishedJobRetention().plusMinutes(2));
        assertThat(driver.getKeyValueStore(OrchestratorTopology.JOB_STATE_STORE).get("job_a")).isNull();

        request("job_a", T0.plus(Duration.ofHours(1)));
        request("job_b", T0.plus(Duration.ofDays(7)));
        request("job_a", T0.plus(Duration.ofDays(7)));

        assertThat(events.readValuesToList()).extracting(JobEvent::jobId, e -> e.getClass().getSimpleName())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("job_b", "JobAccepted"),
                        org.assertj.core.groups.Tuple.tuple("job_b", "StageDispatched"));
        assertThat(fetchRequests.readValuesToList()).extracting(StageRequested::jobId).containsExactly("job_b");
    }

    @Test
    void shouldNotLetAMiskeyedRecordBlockTheRealRequestOfThatKey() {
        requests.pipeInput("job_c", new JobRequested("evt_x", "job_other", T0, "github", "d-x", "push", "req-1",
                Json.MAPPER.createObjectNode()), T0);
        request("job_c", T0);

        assertThat(events.readValuesToList()).extracting(JobEvent::jobId).first().isEqualTo("job_c");
        assertThat(fetchRequests.readValuesToList()).extracting(StageRequested::jobId).containsExactly("job_c");
    }

    @Test
    void shouldRememberJobIdsByItsOwnClockWhateverTheProducersClockSays() {
        // A producer whose clock runs a year ahead must not push the ids remembered after it out of the window.
        request("job_e", T0.plus(Duration.ofDays(365)));
        request("job_d", T0);
        java.util.List<StageRequested> fetches = fetchRequests.readValuesToList();
        assertThat(fetches).extracting(StageRequested::jobId).containsExactly("job_e", "job_d");
        answer(fetches.get(1));
        answer(storeRequests.readValue());
        driver.advanceWallClockTime(SETTINGS.finishedJobRetention().plusMinutes(2));
        assertThat(driver.getKeyValueStore(OrchestratorTopology.JOB_STATE_STORE).get("job_d")).isNull();

        request("job_d", T0);

        assertThat(fetchRequests.readValuesToList()).extracting(StageRequested::jobId).doesNotContain("job_d");
    }

    private void request(String jobId, Instant timestamp) {
        requests.pipeInput(jobId, new JobRequested("evt_" + timestamp.toEpochMilli(), jobId, timestamp, "github",
                "d-" + jobId, "push", "req-1", Json.MAPPER.createObjectNode().put("n", 1)), timestamp);
    }

    private void answer(StageRequested request) {
        results.pipeInput(request.jobId(), new StageResult.StageSucceeded("evt_ok", request.jobId(), T0,
                request.stage(), request.attempt(), T0, 5, "done", Json.MAPPER.createObjectNode()), T0);
    }
}
