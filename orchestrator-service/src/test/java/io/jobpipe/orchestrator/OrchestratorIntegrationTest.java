package io.jobpipe.orchestrator;

import io.jobpipe.core.event.EventIds;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.event.OpsCommand;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.kafka.PoisonHeaders;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.pipeline.PipelineCatalogLoader;
import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.jobpipe.testing.KafkaFixture;
import io.jobpipe.testing.PrometheusText;
import io.jobpipe.testing.TestNames;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.annotation.Liveness;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The orchestrator service against a real broker, EOS on: the test plays ingest (produces a JobRequested) and
 * the worker (answers every StageRequested with a StageSucceeded) and reads the job's history as status would.
 */
class OrchestratorIntegrationTest {
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";
    static final List<String> STAGES = PipelineCatalogLoader.loadDefault().pipeline("default").orElseThrow().stageNames();

    static EmbeddedServer server;
    static Topics topics;
    static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void startOrchestrator(TestInfo info) {
        topics = Topics.of(TestNames.unique(info) + ".");
        server = OrchestratorUnderTest.start(topics, Map.of("jobpipe.topics.partitions", 2));
        producer = OrchestratorUnderTest.producer();
    }

    @AfterAll
    static void stopOrchestrator() {
        OrchestratorUnderTest.stop(server, producer);
    }

    @Test
    void shouldBeReadyOnceStreamsRunsAndShowAnonymousCallersTheStatusOnly() {
        ApplicationContext context = server.getApplicationContext();
        assertThat(context.getBeansOfType(HealthIndicator.class, Qualifiers.byStereotype(Readiness.class)))
                .hasAtLeastOneElementOfType(KafkaStreamsHealthIndicator.class);
        assertThat(context.getBeansOfType(HealthIndicator.class, Qualifiers.byStereotype(Liveness.class)))
                .noneMatch(KafkaStreamsHealthIndicator.class::isInstance);
        try (HttpClient http = HttpClient.create(server.getURL())) {
            assertThat(http.toBlocking().exchange("/health/liveness", String.class).getStatus().getCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                    assertThat(http.toBlocking().exchange("/health/readiness").getStatus().getCode()).isEqualTo(200));
            for (String path : List.of("/health", "/health/readiness", "/health/liveness")) {
                String body = http.toBlocking().retrieve(path);
                assertThat(body).as(path).contains("UP").doesNotContain("details", "applicationId", "RUNNING");
            }
        } catch (HttpClientResponseException e) {
            throw new AssertionError(e.getStatus() + " " + e.getResponse().getBody(String.class).orElse(""), e);
        }
    }

    @Test
    void shouldRunJobThroughEveryStageAndEmitEventsInSeqOrderEndingWithJobCompleted() {
        String jobId = EventIds.newJobId();
        List<String> answeredStages = new ArrayList<>();
        List<Received> history = runJob(jobId, answeredStages);

        List<String> expectedTypes = new ArrayList<>(List.of("JobAccepted"));
        STAGES.forEach(stage -> expectedTypes.addAll(List.of("StageDispatched", "StageCompleted")));
        expectedTypes.add("JobCompleted");
        assertThat(history).extracting(r -> r.event().getClass().getSimpleName()).containsExactlyElementsOf(expectedTypes);
        assertThat(history).extracting(r -> r.event().seq())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, expectedTypes.size()).boxed().toList());
        assertThat(history).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(jobId);
            assertThat(KafkaTraceHeaders.traceIdOf(KafkaTraceHeaders.traceparent(r.headers()))).isEqualTo(TRACE_ID);
        });
        assertThat(answeredStages).containsExactlyElementsOf(STAGES);
        assertMetricsOfOneCompletedJob();
    }

    @Test
    void shouldCopyUnreadableRecordsOfEveryInputTopicToPoisonCountThemAndGoOn() {
        List<String> inputs = List.of(topics.jobsRequested.name(), topics.stageResults.name(), topics.opsCommands.name());
        String key = EventIds.newJobId();
        for (String topic : inputs) {
            ProducerRecord<String, byte[]> garbage = new ProducerRecord<>(topic, key,
                    ("{\"type\":\"Garbage\",\"on\":\"" + topic + "\"}").getBytes(StandardCharsets.UTF_8));
            garbage.headers().add("x-sender", "bad-producer".getBytes(StandardCharsets.UTF_8));
            producer.send(garbage);
        }
        // Readable, but keyed by another job than its own: it would live on the wrong partition's state.
        producer.send(new ProducerRecord<>(topics.opsCommands.name(), key, topics.opsCommands.valueSerde().serializer()
                .serialize(null, new OpsCommand.CancelJob(EventIds.newEventId(), "job_elsewhere", Instant.now(),
                        "ops:test", "misrouted", null))));
        producer.flush();

        List<ConsumerRecord<String, byte[]>> poison = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.shared().bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.GROUP_ID_CONFIG, topics.namespace() + "poison-reader"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.poison));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(poison::add);
                assertThat(poison).filteredOn(r -> key.equals(r.key())).hasSize(4);
            });
        }
        List<ConsumerRecord<String, byte[]>> misrouted = poison.stream().filter(r -> key.equals(r.key())
                && header(r, PoisonHeaders.ERROR_CLASS).endsWith("IllegalArgumentException")).toList();
        assertThat(misrouted).singleElement().satisfies(r -> assertThat(header(r, PoisonHeaders.ERROR_MESSAGE))
                .contains("not an event keyed by its jobId", "for job job_elsewhere"));
        List<ConsumerRecord<String, byte[]>> ours = poison.stream().filter(r -> key.equals(r.key())
                && !misrouted.contains(r)).toList();
        assertThat(ours).extracting(r -> header(r, PoisonHeaders.ORIGINAL_TOPIC)).containsExactlyInAnyOrderElementsOf(inputs);
        assertThat(ours).allSatisfy(r -> {
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("Garbage", header(r, PoisonHeaders.ORIGINAL_TOPIC));
            assertThat(header(r, "x-sender")).isEqualTo("bad-producer");
            assertThat(header(r, PoisonHeaders.ERROR_CLASS)).endsWith("SerializationException");
            assertThat(header(r, PoisonHeaders.REFUSED_BY)).isEqualTo("orchestrator-service");
            assertThat(header(r, PoisonHeaders.ORIGINAL_OFFSET)).matches("\\d+");
        });
        PrometheusText metrics;
        try (HttpClient http = HttpClient.create(server.getURL())) {
            metrics = PrometheusText.parse(http.toBlocking().retrieve("/metrics"));
        }
        for (String topic : inputs) {
            assertThat(metrics.value("jobpipe_poison_records_total", Map.of("topic", topic))).as(topic)
                    .isEqualTo(topic.equals(topics.opsCommands.name()) ? 2 : 1);
        }
        // The partitions went on: a job after the garbage runs to the end.
        runJob(EventIds.newJobId(), new ArrayList<>());
    }

    /** Cancel during a running stage, through the real broker: no further dispatch, the agent's result is late. */
    @Test
    void shouldCancelAJobWhileItsStageRunsAndRecordItsResultAsLate() {
        String jobId = EventIds.newJobId();
        ProducerRecord<String, byte[]> request = new ProducerRecord<>(topics.jobsRequested.name(), jobId,
                topics.jobsRequested.valueSerde().serializer().serialize(null, new JobRequested(EventIds.newEventId(),
                        jobId, Instant.now(), "github", "d-1", "push", "req-1", Json.MAPPER.createObjectNode())));
        producer.send(request);
        List<JobEvent> history = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> stageRequests = OrchestratorUnderTest.committedReader(STAGES.stream()
                .map(stage -> topics.stage(stage).name()).toList());
             KafkaConsumer<String, byte[]> jobEvents = OrchestratorUnderTest.committedReader(List.of(topics.jobEvents.name()))) {
            StageRequested[] running = new StageRequested[1];
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                stageRequests.poll(Duration.ofMillis(50)).forEach(record -> {
                    StageRequested stageRequest = topics.stage(STAGES.get(0)).valueSerde().deserializer()
                            .deserialize(record.topic(), record.value());
                    if (stageRequest.jobId().equals(jobId)) {
                        running[0] = stageRequest;
                    }
                });
                return running[0] != null;
            });
            // The stage is running at its worker: an operator cancels the job, then the agent reports.
            producer.send(new ProducerRecord<>(topics.opsCommands.name(), jobId, topics.opsCommands.valueSerde()
                    .serializer().serialize(null, new OpsCommand.CancelJob(EventIds.newEventId(), jobId, Instant.now(),
                            "ops:test", "the order was withdrawn", null))));
            producer.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> collect(jobEvents, jobId, history)
                    .stream().anyMatch(JobEvent.JobCancelled.class::isInstance));
            answer(running[0]);
            await().atMost(Duration.ofSeconds(60)).until(() -> collect(jobEvents, jobId, history)
                    .get(history.size() - 1) instanceof JobEvent.LateResultIgnored);
            assertThat(stageRequests.poll(Duration.ofMillis(500))).as("nothing dispatched after the cancel")
                    .noneMatch(record -> jobId.equals(record.key()));
        }
        assertThat(history).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("JobAccepted", "StageDispatched", "JobCancelled", "LateResultIgnored");
        assertThat((JobEvent.JobCancelled) history.get(2)).satisfies(cancelled -> {
            assertThat(cancelled.stage()).isEqualTo(STAGES.get(0));
            assertThat(cancelled.attempt()).isEqualTo(1);
            assertThat(cancelled.requestedBy()).isEqualTo("ops:test");
        });
    }

    /** Adds the job's events of one poll to {@code history}; returns it. */
    private static List<JobEvent> collect(KafkaConsumer<String, byte[]> jobEvents, String jobId, List<JobEvent> history) {
        for (ConsumerRecord<String, byte[]> record : jobEvents.poll(Duration.ofMillis(50))) {
            JobEvent event = topics.jobEvents.valueSerde().deserializer().deserialize(record.topic(), record.value());
            if (event.jobId().equals(jobId)) {
                history.add(event);
            }
        }
        return history;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return record.headers().lastHeader(name) == null ? null
                : new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** {@code GET /metrics} after the job: its transitions, no job left in flight, Kafka Streams' own metrics. */
    private static void assertMetricsOfOneCompletedJob() {
        PrometheusText metrics;
        try (HttpClient http = HttpClient.create(server.getURL())) {
            HttpResponse<String> scrape = http.toBlocking().exchange("/metrics", String.class);
            assertThat(scrape.getHeaders().get("Content-Type")).startsWith("text/plain; version=0.0.4");
            metrics = PrometheusText.parse(scrape.body());
        }
        String transitions = "jobpipe_orchestrator_transitions_total";
        assertThat(metrics.value(transitions, Map.of("type", "JobAccepted", "stage", "none",
                "service", "orchestrator-service"))).isEqualTo(1);
        for (String stage : STAGES) {
            assertThat(metrics.value(transitions, Map.of("type", "StageDispatched", "stage", stage))).isEqualTo(1);
            assertThat(metrics.value(transitions, Map.of("type", "StageCompleted", "stage", stage))).isEqualTo(1);
            assertThat(metrics.value(transitions, Map.of("type", "JobDeadLettered", "stage", stage))).isZero();
        }
        assertThat(metrics.value(transitions, Map.of("type", "JobCompleted", "stage", "none"))).isEqualTo(1);
        assertThat(metrics.value("jobpipe_orchestrator_jobs_in_flight", Map.of())).isZero();
        assertThat(metrics.value("jobpipe_orchestrator_timers_pending", Map.of()))
                .as("the last stage's timeout timer waits for its deadline").isGreaterThanOrEqualTo(0);
        assertThat(metrics.samples("kafka_stream_processor_node_record_e2e_latency_avg"))
                .as("Kafka Streams' end-to-end latency per source and sink node").isNotEmpty();
        assertThat(metrics.samples("kafka_stream_processor_node_record_e2e_latency_max"))
                .anySatisfy(sample -> {
                    assertThat(sample.labels()).containsKey("processor_node_id");
                    assertThat(sample.value()).isGreaterThan(0);
                });
        assertThat(metrics.samples("jvm_gc_memory_allocated_bytes_total")).isNotEmpty();
        assertThat(metrics.samples("process_cpu_usage")).isNotEmpty();
    }

    /**
     * Every punctuation makes Kafka Streams commit a transaction; a fixed-rate punctuator once made an idle
     * orchestrator commit about ten times a second forever after its first record.
     */
    @Test
    void shouldCommitNoTransactionWhileIdleAfterAJob() throws InterruptedException {
        runJob(EventIds.newJobId(), new ArrayList<>());
        OrchestratorRuntime runtime = server.getApplicationContext().getBean(OrchestratorRuntime.class);
        assertThat(commits(runtime)).as("the job's hops committed").isPositive();
        Thread.sleep(1_000);

        double idleFrom = commits(runtime);
        Thread.sleep(3_000);

        assertThat(commits(runtime) - idleFrom).as("commits in 3 s of idling").isZero();
    }

    private static double commits(OrchestratorRuntime runtime) {
        return runtime.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("commit-total")
                        && e.getKey().group().equals("stream-thread-metrics"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    /** Plays ingest and the worker for one job until its JobCompleted; returns its history as status reads it. */
    private static List<Received> runJob(String jobId, List<String> answeredStages) {
        try (HttpClient http = HttpClient.create(server.getURL())) {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                    assertThat(http.toBlocking().exchange("/health").getStatus().getCode())
                            .isEqualTo(HttpStatus.OK.getCode()));
        }
        ProducerRecord<String, byte[]> request = new ProducerRecord<>(topics.jobsRequested.name(), jobId,
                topics.jobsRequested.valueSerde().serializer().serialize(null, new JobRequested(EventIds.newEventId(),
                        jobId, Instant.now(), "github", "d-1", "push", "req-1", Json.MAPPER.createObjectNode().put("n", 1))));
        KafkaTraceHeaders.setTraceparent(request.headers(), TRACEPARENT);
        producer.send(request);

        List<Received> history = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> stageRequests = OrchestratorUnderTest.committedReader(STAGES.stream()
                .map(stage -> topics.stage(stage).name()).toList());
             KafkaConsumer<String, byte[]> jobEvents = OrchestratorUnderTest.committedReader(List.of(topics.jobEvents.name()))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : stageRequests.poll(Duration.ofMillis(50))) {
                    StageRequested stageRequest = topics.stage(STAGES.get(0)).valueSerde().deserializer()
                            .deserialize(record.topic(), record.value());
                    if (stageRequest.jobId().equals(jobId)) {
                        answeredStages.add(stageRequest.stage());
                        answer(stageRequest);
                    }
                }
                for (ConsumerRecord<String, byte[]> record : jobEvents.poll(Duration.ofMillis(50))) {
                    JobEvent event = topics.jobEvents.valueSerde().deserializer().deserialize(record.topic(), record.value());
                    if (event.jobId().equals(jobId)) {
                        history.add(new Received(record.key(), event, record.headers()));
                    }
                }
                return !history.isEmpty() && history.get(history.size() - 1).event() instanceof JobEvent.JobCompleted;
            });
        }
        return history;
    }

    record Received(String key, JobEvent event, Headers headers) {
    }

    private static void answer(StageRequested request) {
        StageResult result = new StageResult.StageSucceeded(EventIds.newEventId(), request.jobId(), Instant.now(),
                request.stage(), request.attempt(), Instant.now(), 1, request.stage() + " done",
                Json.MAPPER.createObjectNode().put("stage", request.stage()));
        producer.send(new ProducerRecord<>(topics.stageResults.name(), request.jobId(),
                topics.stageResults.valueSerde().serializer().serialize(null, result)));
    }

}
