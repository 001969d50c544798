package io.jobpipe.orchestrator.streams;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jobpipe.core.kafka.DeadLetterHeaders;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.event.OpsCommand;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineCatalogLoader;
import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.jobpipe.core.tracing.SpanAttributes;
import io.jobpipe.core.tracing.Telemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.jobpipe.orchestrator.StreamsSettings;
import io.jobpipe.orchestrator.config.OrchestratorProperties;
import io.jobpipe.orchestrator.machine.JobState;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The wiring around the state machine: topics, stores, timers, headers and the failure route. */
class OrchestratorTopologyTest {
    static final PipelineCatalog PIPELINES = PipelineCatalogLoader.parse("""
            defaults:
              timeout: 10s
              retry:
                maximumAttempts: 3
                initialInterval: 100ms
                coefficient: 2.0
                maximumInterval: 1s
                jitter: 0.0
            pipelines:
              two:
                stages:
                  - name: fetch
                    agent: http:https://agents.example.com/fetch?key=k3y
                    settings: { secret: hunter2, mode: sync }
                  - name: store
            """.replace("two:", "default:"));
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    static final String TRACEPARENT = "00-" + TRACE_ID + "-b7ad6b7169203331-01";
    static final Duration RETENTION = Duration.ofMinutes(10);
    static final Duration RESTART_GRACE = Duration.ofSeconds(5);
    static final JobProcessorSettings SETTINGS = new JobProcessorSettings(Duration.ofMillis(5), Duration.ofMillis(20), RETENTION, RESTART_GRACE);

    final Topics topics = Topics.of("t.");
    @TempDir
    Path stateDir;
    TopologyTestDriver driver;
    TestInputTopic<String, JobRequested> requests;
    TestInputTopic<String, StageResult> results;
    TestOutputTopic<String, JobEvent> events;
    TestOutputTopic<String, StageRequested> fetchRequests;
    TestOutputTopic<String, StageRequested> storeRequests;
    TestOutputTopic<String, StageRequested> fetchDeadLetters;
    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();

    @BeforeEach
    void startDriver() {
        startDriverAt(T0);
    }

    private void startDriverAt(Instant wallClock) {
        startDriverAt(wallClock, SETTINGS);
    }

    private void startDriverAt(Instant wallClock, JobProcessorSettings settings) {
        OrchestratorProperties configuration = new OrchestratorProperties(Duration.ofMillis(50), null, 1,
                SETTINGS.commitGap(), SETTINGS.commitQuiet(), SETTINGS.finishedJobRetention(),
                SETTINGS.restartGrace(), SETTINGS.deadLetterRetention(), SETTINGS.maxReplaysPerJob(), null,
                Duration.ofSeconds(15));
        driver = new TopologyTestDriver(
                new OrchestratorTopology(topics, PIPELINES, Telemetry.tracer(otel), settings)
                        .build(),
                StreamsSettings.properties("unused:9092", topics.namespace(), (short) 1, configuration,
                        stateDir.toString()),
                wallClock);
        requests = driver.createInputTopic(topics.jobsRequested.name(), new StringSerializer(),
                topics.jobsRequested.valueSerde().serializer());
        results = driver.createInputTopic(topics.stageResults.name(), new StringSerializer(),
                topics.stageResults.valueSerde().serializer());
        events = driver.createOutputTopic(topics.jobEvents.name(), Serdes.String().deserializer(),
                topics.jobEvents.valueSerde().deserializer());
        fetchRequests = stageTopic(topics.stage("fetch").name());
        storeRequests = stageTopic(topics.stage("store").name());
        fetchDeadLetters = stageTopic(topics.deadLetter("fetch").name());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
        otel.close();
    }

    @Test
    void shouldMakeEachTransitionAChildOfTheSpanItsRecordCarries() {
        requestJob("job_a");
        String agentSpanId = "aaaaaaaaaaaaaaaa";
        answer(fetchRequests.readValue(), "00-" + TRACE_ID + "-" + agentSpanId + "-01");

        SpanData requested = span("orchestrate JobRequested");
        assertThat(requested.getParentSpanId()).as("ingest's request span").isEqualTo("b7ad6b7169203331");
        assertThat(requested.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(requested.getAttributes().get(SpanAttributes.JOB_ID)).isEqualTo("job_a");
        assertThat(requested.getAttributes().get(SpanAttributes.EMITTED)).isEqualTo("JobAccepted,StageDispatched");
        SpanData succeeded = span("orchestrate StageSucceeded");
        assertThat(succeeded.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(succeeded.getParentSpanId()).as("the agent span").isEqualTo(agentSpanId);
        assertThat(succeeded.getAttributes().get(SpanAttributes.STAGE)).isEqualTo("fetch");
        assertThat(succeeded.getAttributes().get(SpanAttributes.ATTEMPT)).isEqualTo(1L);
        assertThat(KafkaTraceHeaders.traceparent(storeRequests.readRecord().headers()))
                .as("the next stage request carries the transition that dispatched it")
                .contains(succeeded.getSpanId());
    }

    @Test
    void shouldKeepARecordFromAnotherTraceInTheJobsTraceAndLinkIt() {
        requestJob("job_a");
        String foreign = "00-11111111111111111111111111111111-2222222222222222-01";
        answer(fetchRequests.readValue(), foreign);

        SpanData succeeded = span("orchestrate StageSucceeded");
        assertThat(succeeded.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(succeeded.getParentSpanId()).as("the job's stored context").isEqualTo("b7ad6b7169203331");
        assertThat(succeeded.getLinks()).singleElement()
                .satisfies(link -> assertThat(link.getSpanContext().getSpanId()).isEqualTo("2222222222222222"));
    }

    @Test
    void shouldDispatchFirstStageAndCarryJobTraceOnEveryOutput() {
        requestJob("job_a");

        List<TestRecord<String, JobEvent>> accepted = events.readRecordsToList();
        assertThat(accepted).extracting(r -> r.value().getClass().getSimpleName())
                .containsExactly("JobAccepted", "StageDispatched");
        TestRecord<String, StageRequested> request = fetchRequests.readRecord();
        assertThat(request.key()).isEqualTo("job_a");
        assertThat(request.value()).extracting(StageRequested::stage, StageRequested::attempt, StageRequested::deadline)
                .containsExactly("fetch", 1, T0.plusSeconds(10));
        assertThat(request.value().input().get("payload")).isEqualTo(json("{\"n\":1}"));
        for (Headers headers : List.of(accepted.get(0).headers(), accepted.get(1).headers(), request.headers())) {
            String traceparent = KafkaTraceHeaders.traceparent(headers);
            assertThat(KafkaTraceHeaders.traceIdOf(traceparent)).isEqualTo(TRACE_ID);
            assertThat(traceparent).as("a child span of the job's context").isNotEqualTo(TRACEPARENT);
        }
    }

    @Test
    void shouldRunJobToCompletionWithEventsInSeqOrder() {
        requestJob("job_a");
        answer(fetchRequests.readValue());
        answer(storeRequests.readValue());

        List<TestRecord<String, JobEvent>> history = events.readRecordsToList();
        assertThat(history).extracting(r -> r.value().getClass().getSimpleName()).containsExactly(
                "JobAccepted", "StageDispatched", "StageCompleted", "StageDispatched", "StageCompleted", "JobCompleted");
        assertThat(history).extracting(r -> r.value().seq()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(history).allSatisfy(r -> assertThat(r.key()).isEqualTo("job_a"));
    }

    @Test
    void shouldCarryEachAttemptsLogFromItsResultIntoTheJobEventThatClosesIt() {
        requestJob("job_a");
        StageRequested first = fetchRequests.readValue();
        results.pipeInput("job_a", new StageResult.StageFailed("evt_fail", "job_a", T0, "fetch", first.attempt(), T0,
                5, "CommandFailed", "exited with 75", true, null, "queue full\n"));
        driver.advanceWallClockTime(Duration.ofMillis(150));
        StageRequested second = fetchRequests.readValue();
        results.pipeInput("job_a", new StageResult.StageSucceeded("evt_ok", "job_a", T0, "fetch", second.attempt(), T0,
                5, "done", json("{}"), "parsed 3 pages\n"));

        List<JobEvent> history = events.readValuesToList();
        assertThat(history).filteredOn(JobEvent.StageAttemptFailed.class::isInstance)
                .extracting(e -> ((JobEvent.StageAttemptFailed) e).log()).containsExactly("queue full\n");
        assertThat(history).filteredOn(JobEvent.StageCompleted.class::isInstance)
                .extracting(e -> ((JobEvent.StageCompleted) e).log()).containsExactly("parsed 3 pages\n");
    }

    @Test
    void shouldLogTheJobsStartAndEndWithItsFieldsAndLeaveNoneBehind() {
        Logger processorLog = (Logger) LoggerFactory.getLogger(JobProcessor.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        processorLog.addAppender(lines);
        try {
            requestJob("job_a");
            answer(fetchRequests.readValue());
            answer(storeRequests.readValue());
        } finally {
            processorLog.detachAppender(lines);
        }

        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("job accepted: pipeline default, stages [fetch, store]", "job completed");
        assertThat(lines.list.get(0).getMDCPropertyMap()).containsEntry("jobId", "job_a")
                .containsEntry("requestId", "req-1").containsEntry("stage", "fetch").containsEntry("attempt", "1")
                .containsEntry("traceId", TRACE_ID);
        assertThat(lines.list.get(1).getMDCPropertyMap()).containsEntry("jobId", "job_a")
                .containsEntry("stage", "store").containsEntry("traceId", TRACE_ID);
        assertThat(MDC.getCopyOfContextMap()).as("nothing left for the next record").isNullOrEmpty();
    }

    @Test
    void shouldIgnoreDuplicateJobRequest() {
        requestJob("job_a");
        events.readRecordsToList();
        fetchRequests.readRecordsToList();

        requestJob("job_a");

        assertThat(events.isEmpty()).isTrue();
        assertThat(fetchRequests.isEmpty()).isTrue();
    }

    @Test
    void shouldRetryFailedAttemptOnlyWhenWallClockReachesBackoff() {
        requestJob("job_a");
        StageRequested first = fetchRequests.readValue();

        fail(first, true);
        driver.advanceWallClockTime(Duration.ofMillis(50));
        assertThat(fetchRequests.isEmpty()).as("no retry before the backoff is over").isTrue();
        driver.advanceWallClockTime(Duration.ofMillis(100));

        StageRequested second = fetchRequests.readValue();
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(events.readValuesToList()).extracting(e -> e.getClass().getSimpleName()).containsExactly(
                "JobAccepted", "StageDispatched", "StageAttemptFailed", "StageDispatched");
    }

    @Test
    void shouldTimeOutSilentAttemptAndRetryIt() {
        requestJob("job_a");
        fetchRequests.readValue();
        events.readValuesToList();

        driver.advanceWallClockTime(Duration.ofSeconds(10));
        driver.advanceWallClockTime(Duration.ofMillis(100));

        List<JobEvent> afterTimeout = events.readValuesToList();
        assertThat(afterTimeout).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("StageAttemptFailed", "StageDispatched");
        assertThat(((JobEvent.StageAttemptFailed) afterTimeout.get(0)).errorType()).isEqualTo("StageTimeout");
        assertThat(fetchRequests.readValue().attempt()).isEqualTo(2);
    }

    @Test
    void shouldExtendDeadlineWhenHeartbeatArrives() {
        requestJob("job_a");
        StageRequested request = fetchRequests.readValue();
        events.readValuesToList();

        driver.advanceWallClockTime(Duration.ofSeconds(8));
        results.pipeInput(request.jobId(), new StageResult.StageHeartbeat("evt_hb", request.jobId(),
                Instant.ofEpochMilli(0), "fetch", 1, "half way"));
        assertThat(events.readValuesToList()).singleElement().isInstanceOfSatisfying(JobEvent.StageProgress.class,
                progress -> assertThat(progress.message()).isEqualTo("half way"));
        driver.advanceWallClockTime(Duration.ofSeconds(5));

        assertThat(events.isEmpty()).as("the original deadline passed, the extended one did not").isTrue();
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        assertThat(events.readValuesToList()).first().isInstanceOf(JobEvent.StageAttemptFailed.class);
    }

    @Test
    void shouldSealTheAgentsUrlAndInlineSecretInEveryStageRequest() {
        TestOutputTopic<String, byte[]> raw = driver.createOutputTopic(topics.stage("fetch").name(),
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer());

        requestJob("job_a");

        String record = new String(raw.readValue(), StandardCharsets.UTF_8);
        assertThat(record).doesNotContain("hunter2", "k3y", "/fetch").contains("\"mode\":\"sync\"");
        assertThat(record).containsPattern("\"target\":\"sealed:https://agents.example.com#[0-9a-f]{12}\"");
        assertThat(record).containsPattern("\"secret\":\"sealed:#[0-9a-f]{12}\"");
    }

    @Test
    void shouldDeadLetterLastRequestWithFailureHeadersAfterThreeFailedAttempts() {
        requestJob("job_a");
        Instant firstFailure = T0;
        fail(fetchRequests.readValue(), true);
        driver.advanceWallClockTime(Duration.ofMillis(100));
        fail(fetchRequests.readValue(), true);
        driver.advanceWallClockTime(Duration.ofMillis(200));
        StageRequested last = fetchRequests.readValue();
        driver.advanceWallClockTime(Duration.ofMillis(100));
        Instant lastFailure = T0.plusMillis(400);
        fail(last, true);

        TestRecord<String, StageRequested> deadLetter = fetchDeadLetters.readRecord();
        assertThat(deadLetter.key()).isEqualTo("job_a");
        assertThat(deadLetter.value()).isEqualTo(last);
        assertThat(deadLetter.value().agent().target()).as("sealed in dead letters too").startsWith("sealed:");
        Headers headers = deadLetter.headers();
        assertThat(header(headers, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo("t.jobpipe.stage.fetch");
        assertThat(header(headers, DeadLetterHeaders.ERROR_CLASS)).isEqualTo("HttpTimeout");
        assertThat(header(headers, DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("agent timed out");
        assertThat(header(headers, DeadLetterHeaders.ATTEMPTS)).isEqualTo("3");
        assertThat(header(headers, DeadLetterHeaders.FIRST_FAILURE)).isEqualTo(firstFailure.toString());
        assertThat(header(headers, DeadLetterHeaders.LAST_FAILURE)).isEqualTo(lastFailure.toString());
        assertThat(header(headers, DeadLetterHeaders.TRACE_ID)).isEqualTo(TRACE_ID);
        assertThat(KafkaTraceHeaders.traceIdOf(KafkaTraceHeaders.traceparent(headers))).isEqualTo(TRACE_ID);
        List<JobEvent> history = events.readValuesToList();
        assertThat(history.get(history.size() - 1)).isInstanceOfSatisfying(JobEvent.JobDeadLettered.class,
                e -> assertThat(e.deadLetterTopic()).isEqualTo("t.jobpipe.stage.fetch.dlq"));
        assertThat(history).extracting(JobEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    }

    @Test
    void shouldRunADeadLetteredJobAgainWhenAnOperatorReplaysItThroughTheOpsTopic() {
        requestJob("job_a");
        for (int failures = 0; failures < 3; failures++) {
            fail(fetchRequests.readValue(), true);
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }
        assertThat(fetchDeadLetters.readValue().attempt()).isEqualTo(3);
        events.readValuesToList();
        TestInputTopic<String, OpsCommand> ops = driver.createInputTopic(topics.opsCommands.name(),
                new StringSerializer(), topics.opsCommands.valueSerde().serializer());

        OpsCommand.ReplayJob replay = new OpsCommand.ReplayJob("cmd_1", "job_a", T0, "rpl_1", "ops:alice",
                "agent fixed", null, null, json("{\"n\":2}"));
        ops.pipeInput("job_a", replay);
        ops.pipeInput("job_a", replay);

        StageRequested again = fetchRequests.readValue();
        assertThat(again.attempt()).isEqualTo(4);
        assertThat(again.input().get("payload")).isEqualTo(json("{\"n\":2}"));
        assertThat(fetchRequests.isEmpty()).as("the repeated replay id changed nothing").isTrue();
        answer(again);
        answer(storeRequests.readValue());
        assertThat(events.readValuesToList()).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("JobReplayed", "StageDispatched", "StageCompleted", "StageDispatched",
                        "StageCompleted", "JobCompleted");
    }

    @Test
    void shouldCancelARunningJobThroughTheOpsTopicAndIgnoreItsLateResult() {
        requestJob("job_a");
        StageRequested inFlight = fetchRequests.readValue();
        TestInputTopic<String, OpsCommand> ops = driver.createInputTopic(topics.opsCommands.name(),
                new StringSerializer(), topics.opsCommands.valueSerde().serializer());

        ops.pipeInput("job_a", new OpsCommand.CancelJob("cmd_1", "job_a", T0, "ops:bob", "duplicate order", null));
        answer(inFlight);

        assertThat(storeRequests.isEmpty()).isTrue();
        assertThat(events.readValuesToList()).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("JobAccepted", "StageDispatched", "JobCancelled", "LateResultIgnored");
    }

    @Test
    void shouldFailOnlyTheJobWhoseStageRequestIsTooLargeToSend() {
        driver.close();
        startDriverAt(T0, SETTINGS.withMaxRequestBytes(2048));
        String big = "x".repeat(3000);
        requests.pipeInput("job_big", new JobRequested("evt_big", "job_big", T0, "github", "d-big", "push", "req-1",
                json("{\"blob\":\"" + big + "\"}")));
        requestJob("job_a");

        List<JobEvent> history = events.readValuesToList();
        assertThat(history).filteredOn(e -> e.jobId().equals("job_big")).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("JobAccepted", "StageDispatched", "StageAttemptFailed", "JobFailed");
        assertThat(history).filteredOn(JobEvent.JobFailed.class::isInstance).singleElement()
                .isInstanceOfSatisfying(JobEvent.JobFailed.class, failed -> {
                    assertThat(failed.errorType()).isEqualTo("StageRequestTooLarge");
                    assertThat(failed.message()).contains("stage fetch", "more than the 2048");
                });
        assertThat(fetchRequests.readValuesToList()).extracting(StageRequested::jobId).containsExactly("job_a");
    }

    @Test
    void shouldSkipUnreadableRecordsOfEveryInputTopicAndProcessTheNextOne() {
        TestInputTopic<String, byte[]> rawRequests = driver.createInputTopic(topics.jobsRequested.name(),
                new StringSerializer(), new ByteArraySerializer());
        TestInputTopic<String, byte[]> rawResults = driver.createInputTopic(topics.stageResults.name(),
                new StringSerializer(), new ByteArraySerializer());
        TestInputTopic<String, byte[]> rawCommands = driver.createInputTopic(topics.opsCommands.name(),
                new StringSerializer(), new ByteArraySerializer());
        // Their copies on jobpipe.poison: OrchestratorIntegrationTest (the test driver does not surface them).
        rawRequests.pipeInput("job_a", "not json".getBytes(StandardCharsets.UTF_8));
        rawResults.pipeInput("job_a", "{\"type\":\"NoSuchResult\"}".getBytes(StandardCharsets.UTF_8));
        rawCommands.pipeInput("job_a", "{\"type\":\"CancelJob\"}".getBytes(StandardCharsets.UTF_8));
        requestJob("job_a");

        assertThat(events.readValuesToList()).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("JobAccepted", "StageDispatched");
    }

    @Test
    void shouldSkipRecordNotKeyedByItsJobId() {
        requests.pipeInput("job_other", request("job_a"));
        requestJob("job_b");

        assertThat(events.readValuesToList()).extracting(JobEvent::jobId).containsOnly("job_b");
    }

    @Test
    void shouldNotHoldUpOtherJobsWhileOneWaitsForRetry() {
        requestJob("job_a");
        fail(fetchRequests.readValue(), true);

        requestJob("job_b");
        answer(fetchRequests.readValue());
        answer(storeRequests.readValue());

        List<JobEvent> history = events.readValuesToList();
        assertThat(history).filteredOn(e -> e.jobId().equals("job_b")).last().isInstanceOf(JobEvent.JobCompleted.class);
        assertThat(history).filteredOn(e -> e.jobId().equals("job_a")).last()
                .isInstanceOf(JobEvent.StageAttemptFailed.class);
    }

    @Test
    void shouldGiveInterruptedAttemptTheRestartGraceAndCountItsLateResult() {
        requestJob("job_a");
        StageRequested interrupted = fetchRequests.readValue();
        events.readValuesToList();

        restartAt(T0.plusSeconds(60));
        driver.advanceWallClockTime(Duration.ofMillis(1));
        driver.advanceWallClockTime(RESTART_GRACE.minusMillis(10));
        assertThat(events.isEmpty()).as("the deadline passed during the outage; the grace is not over").isTrue();
        answer(interrupted);

        assertThat(events.readValuesToList()).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("StageCompleted", "StageDispatched");
        assertThat(storeRequests.readValue().attempt()).isEqualTo(1);
    }

    @Test
    void shouldRetryInterruptedAttemptWhenTheRestartGraceEndsWithoutResult() {
        requestJob("job_a");
        fetchRequests.readValue();
        events.readValuesToList();

        restartAt(T0.plusSeconds(60));
        driver.advanceWallClockTime(Duration.ofMillis(1));
        driver.advanceWallClockTime(RESTART_GRACE);
        driver.advanceWallClockTime(Duration.ofMillis(100));

        List<JobEvent> afterGrace = events.readValuesToList();
        assertThat(afterGrace).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("StageAttemptFailed", "StageDispatched");
        assertThat(((JobEvent.StageAttemptFailed) afterGrace.get(0)).retryable()).isTrue();
        assertThat(fetchRequests.readValue().attempt()).isEqualTo(2);
    }

    @Test
    void shouldForgetFinishedJobAfterItsRetentionAndRecogniseItUntilThen() {
        requestJob("job_a");
        answer(fetchRequests.readValue());
        answer(storeRequests.readValue());
        events.readValuesToList();
        KeyValueStore<String, JobState> states = driver.getKeyValueStore(OrchestratorTopology.JOB_STATE_STORE);

        driver.advanceWallClockTime(RETENTION.minusSeconds(1));
        requestJob("job_a");
        assertThat(events.isEmpty()).as("a duplicate request within the retention is recognised").isTrue();
        assertThat(states.get("job_a")).isNotNull();

        // Retention timers are rounded up to the minute so that jobs are forgotten in batches.
        driver.advanceWallClockTime(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(states.get("job_a")).isNull();
        assertThat(events.isEmpty()).as("forgetting a job emits nothing").isTrue();
        answer(new StageRequested("evt_x", "job_a", T0, "default", "store", 1, 1,
                io.jobpipe.core.event.AgentSpec.builtin("store"), json("{}"), T0));
        assertThat(events.isEmpty()).as("a result of a forgotten job is dropped like one of an unknown job").isTrue();
    }

    /** Closes the driver and starts another with the same stored job states, as after a crash and restart. */
    private void restartAt(Instant wallClock) {
        KeyValueStore<String, JobState> states = driver.getKeyValueStore(OrchestratorTopology.JOB_STATE_STORE);
        List<KeyValue<String, JobState>> stored = new java.util.ArrayList<>();
        try (KeyValueIterator<String, JobState> all = states.all()) {
            all.forEachRemaining(stored::add);
        }
        driver.close();
        startDriverAt(wallClock);
        KeyValueStore<String, JobState> restored = driver.getKeyValueStore(OrchestratorTopology.JOB_STATE_STORE);
        stored.forEach(kv -> restored.put(kv.key, kv.value));
    }

    private void requestJob(String jobId) {
        Headers headers = new RecordHeaders();
        KafkaTraceHeaders.setTraceparent(headers, TRACEPARENT);
        requests.pipeInput(new TestRecord<>(jobId, request(jobId), headers, T0));
    }

    private static JobRequested request(String jobId) {
        return new JobRequested("evt_req_" + jobId, jobId, T0, "github", "d-" + jobId, "push", "req-1", json("{\"n\":1}"));
    }

    private void answer(StageRequested request) {
        results.pipeInput(request.jobId(), new StageResult.StageSucceeded("evt_ok", request.jobId(), T0,
                request.stage(), request.attempt(), T0, 5, "done", json("{\"stage\":\"" + request.stage() + "\"}")));
    }

    private void answer(StageRequested request, String traceparent) {
        Headers headers = new RecordHeaders();
        KafkaTraceHeaders.setTraceparent(headers, traceparent);
        results.pipeInput(new TestRecord<>(request.jobId(), new StageResult.StageSucceeded("evt_ok", request.jobId(), T0,
                request.stage(), request.attempt(), T0, 5, "done", json("{}")), headers, T0));
    }

    private SpanData span(String name) {
        List<SpanData> named = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
        assertThat(named).as("spans named " + name).hasSize(1);
        return named.get(0);
    }

    private void fail(StageRequested request, boolean retryable) {
        results.pipeInput(request.jobId(), new StageResult.StageFailed("evt_fail", request.jobId(), T0,
                request.stage(), request.attempt(), T0, 5, "HttpTimeout", "agent timed out", retryable));
    }

    private TestOutputTopic<String, StageRequested> stageTopic(String name) {
        return driver.createOutputTopic(name, Serdes.String().deserializer(),
                topics.stage("fetch").valueSerde().deserializer());
    }

    private static String header(Headers headers, String key) {
        return headers.lastHeader(key) == null ? null
                : new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
