package io.jobpipe.worker.kafka;

import io.jobpipe.core.kafka.PoisonHeaders;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.jobpipe.testing.KafkaFixture;
import io.jobpipe.testing.TestNames;
import io.jobpipe.worker.agent.TestRequests;
import io.jobpipe.worker.outbound.LoopbackServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.jobpipe.worker.agent.TestRequests.json;
import static io.jobpipe.worker.agent.TestRequests.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole worker (Micronaut app, share consumers, producer) against a real Kafka 4.3.1 broker: stage
 * requests written in transactions, as the orchestrator writes them, come back as results on the results topic.
 */
class AgentWorkerIntegrationTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    static Path workspace;

    private static KafkaFixture kafka;
    private static Topics topics;
    private static EmbeddedServer server;
    private static Producer<String, byte[]> transactional;
    private static TopicReader results;
    private static final SecureRandom RANDOM = new SecureRandom();

    @BeforeAll
    static void startWorker(TestInfo info) {
        kafka = KafkaFixture.shared();
        topics = TestNames.topics(info);
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "jobpipe.topics.namespace", topics.namespace(),
                "jobpipe.worker.workspace", workspace.toString(),
                "jobpipe.worker.outbound.allow-hosts", "localhost",
                "micronaut.server.host", "127.0.0.1",
                "micronaut.server.port", -1,
                // The health test reads the details, which are hidden unless configured.
                "endpoints.health.details-visible", "ANONYMOUS"));
        WorkerStats stats = server.getApplicationContext().getBean(WorkerStats.class);
        await().atMost(PATIENCE).until(() -> stats.phase() == WorkerStats.Phase.RUNNING);
        transactional = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, topics.namespace() + "test-orchestrator"),
                new StringSerializer(), new ByteArraySerializer());
        transactional.initTransactions();
        results = new TopicReader(kafka.bootstrapServers(), topics.stageResults.name());
    }

    @AfterAll
    static void stopWorker() {
        if (results != null) {
            results.close();
        }
        if (transactional != null) {
            transactional.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String newJobId() {
        return "job_" + HexFormat.of().formatHex(RANDOM.generateSeed(8));
    }

    private static String newTraceparent() {
        return "00-" + HexFormat.of().formatHex(RANDOM.generateSeed(16)) + "-" + HexFormat.of().formatHex(RANDOM.generateSeed(8)) + "-01";
    }

    private static StageRequested request(String jobId, String stage, AgentSpec agent, String payload) {
        return TestRequests.request(jobId, stage, agent, "github", "pull_request", json(payload), Json.MAPPER.createObjectNode());
    }

    private static ProducerRecord<String, byte[]> record(StageRequested request, String traceparent) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.stage(request.stage()).name(), request.jobId(),
                topics.stage(request.stage()).valueSerde().serializer().serialize("", request));
        KafkaTraceHeaders.setTraceparent(record.headers(), traceparent);
        return record;
    }

    private static void inTransaction(Consumer<Producer<String, byte[]>> sends, boolean commit) {
        transactional.beginTransaction();
        sends.accept(transactional);
        if (commit) {
            transactional.commitTransaction();
        } else {
            transactional.abortTransaction();
        }
    }

    private static void sendCommitted(ProducerRecord<String, byte[]> record) {
        inTransaction(p -> p.send(record), true);
    }

    private static ConsumerRecord<String, byte[]> awaitResult(String jobId) {
        return results.awaitRecord(r -> jobId.equals(r.key()), PATIENCE);
    }

    private static StageResult resultOf(ConsumerRecord<String, byte[]> record) {
        return topics.stageResults.valueSerde().deserializer().deserialize(record.topic(), record.value());
    }

    /** The result carries the agent span: the request's trace, another span. */
    private static void assertCarriesAChildOf(ConsumerRecord<String, byte[]> record, String requestTraceparent) {
        String traceparent = header(record, "traceparent");
        assertThat(KafkaTraceHeaders.traceIdOf(traceparent)).isEqualTo(KafkaTraceHeaders.traceIdOf(requestTraceparent));
        assertThat(traceparent).isNotEqualTo(requestTraceparent);
    }

    private static String header(ConsumerRecord<?, ?> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldPublishStageSucceededCarryingTheAgentSpanInTheRequestsTrace() {
        String jobId = newJobId();
        String traceparent = newTraceparent();

        sendCommitted(record(request(jobId, "validate", AgentSpec.builtin("validate"), "{\"action\":\"opened\"}"), traceparent));

        ConsumerRecord<String, byte[]> record = awaitResult(jobId);
        assertCarriesAChildOf(record, traceparent);
        assertThat(resultOf(record)).isInstanceOfSatisfying(StageResult.StageSucceeded.class, s -> {
            assertThat(s.stage()).isEqualTo("validate");
            assertThat(s.attempt()).isEqualTo(1);
            assertThat(s.output().path("valid").asBoolean()).isTrue();
            assertThat(s.summary()).isEqualTo("payload valid: 1 top-level fields, 0 required fields present");
            assertThat(s.startedAt()).isNotNull();
            assertThat(s.durationMs()).isGreaterThanOrEqualTo(0);
        });
    }

    @Test
    void shouldPublishANonRetryableStageFailedWhenValidationFails() {
        String jobId = newJobId();
        String traceparent = newTraceparent();
        AgentSpec validate = new AgentSpec("builtin", "validate", settings("{\"requiredFields\":[\"repository.full_name\",\"sender\"]}"));

        sendCommitted(record(request(jobId, "validate", validate, "{\"action\":\"opened\"}"), traceparent));

        ConsumerRecord<String, byte[]> record = awaitResult(jobId);
        assertCarriesAChildOf(record, traceparent);
        assertThat(resultOf(record)).isInstanceOfSatisfying(StageResult.StageFailed.class, f -> {
            assertThat(f.errorType()).isEqualTo("ValidationFailed");
            assertThat(f.retryable()).isFalse();
            assertThat(f.message()).contains("repository.full_name", "sender");
            assertThat(f.startedAt()).isNotNull();
        });
    }

    @Test
    void shouldRunAnHttpAgentThroughTheGuardedClientAndRefuseALoopbackTargetForGood() throws Exception {
        String allowedJob = newJobId();
        String refusedJob = newJobId();
        try (LoopbackServer agent = LoopbackServer.answering(200, "{\"summary\":\"enriched\",\"score\":7}")) {
            Map<String, Object> signing = Map.of("secret", "agent-secret");
            // 'localhost' is allowed by name in this worker's configuration; the loopback literal is not.
            sendCommitted(record(request(allowedJob, "enrich", new AgentSpec("http",
                    "http://localhost:" + agent.port() + "/enrich", signing), "{}"), newTraceparent()));
            sendCommitted(record(request(refusedJob, "enrich", new AgentSpec("http",
                    "http://127.0.0.1:" + agent.port() + "/enrich", signing), "{}"), newTraceparent()));

            assertThat(resultOf(awaitResult(allowedJob))).isInstanceOfSatisfying(StageResult.StageSucceeded.class, s -> {
                assertThat(s.summary()).isEqualTo("enriched");
                assertThat(s.output().path("score").asInt()).isEqualTo(7);
            });
            assertThat(resultOf(awaitResult(refusedJob))).isInstanceOfSatisfying(StageResult.StageFailed.class, f -> {
                assertThat(f.errorType()).isEqualTo("OutboundRefused");
                assertThat(f.retryable()).isFalse();
                assertThat(f.message()).contains("127.0.0.1 is a loopback address").doesNotContain("/enrich");
            });
            assertThat(agent.hits()).isEqualTo(1);
            assertThat(agent.received().get(0).header("Idempotency-Key")).isEqualTo(allowedJob + ":enrich");
        }
    }

    @Test
    void shouldRunACommandAgentAndCarryItsStderrInTheResultsLog() throws Exception {
        String jobId = newJobId();
        Path script = workspace.resolve("bin").resolve("echo-input.sh");
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!/bin/sh\necho \"reading the input of $JOBPIPE_JOB_ID\" >&2\ncat\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

        sendCommitted(record(request(jobId, "enrich", AgentSpec.parse("command:" + script, Map.of()),
                "{\"title\":\"Fix it\"}"), newTraceparent()));

        assertThat(resultOf(awaitResult(jobId))).isInstanceOfSatisfying(StageResult.StageSucceeded.class, s -> {
            assertThat(s.output().path("jobId").asText()).isEqualTo(jobId);
            assertThat(s.output().path("payload").path("title").asText()).isEqualTo("Fix it");
            assertThat(s.log()).isEqualTo("reading the input of " + jobId + "\n");
        });
    }

    @Test
    void shouldCopyAnUnreadableRecordToPoisonAndStillProcessTheNextOne() {
        String garbageKey = newJobId();
        String jobId = newJobId();
        String traceparent = newTraceparent();
        byte[] garbage = "{not json at all".getBytes(StandardCharsets.UTF_8);
        ProducerRecord<String, byte[]> bad = new ProducerRecord<>(topics.stage("normalize").name(), 0, garbageKey, garbage);
        KafkaTraceHeaders.setTraceparent(bad.headers(), traceparent);
        ProducerRecord<String, byte[]> good = record(request(jobId, "normalize", AgentSpec.builtin("normalize"),
                "{\"repository\":{\"full_name\":\"acme/app\"},\"sender\":{\"login\":\"me\"},\"action\":\"opened\"}"), newTraceparent());

        inTransaction(p -> {
            p.send(bad);
            p.send(new ProducerRecord<>(good.topic(), 0, good.key(), good.value(), good.headers()));
        }, true);

        try (TopicReader poison = new TopicReader(kafka.bootstrapServers(), topics.poison)) {
            ConsumerRecord<String, byte[]> copy = poison.awaitRecord(r -> garbageKey.equals(r.key()), PATIENCE);
            assertThat(copy.value()).isEqualTo(garbage);
            assertThat(header(copy, PoisonHeaders.ERROR_CLASS)).isEqualTo("org.apache.kafka.common.errors.SerializationException");
            assertThat(header(copy, PoisonHeaders.ERROR_MESSAGE)).startsWith("not a valid StageRequested");
            assertThat(header(copy, PoisonHeaders.ORIGINAL_TOPIC)).isEqualTo(topics.stage("normalize").name());
            assertThat(header(copy, PoisonHeaders.ORIGINAL_PARTITION)).isEqualTo("0");
            assertThat(header(copy, PoisonHeaders.REFUSED_BY)).isEqualTo("agent-worker");
            assertThat(header(copy, "traceparent")).as("the original headers are kept").isEqualTo(traceparent);
        }
        assertThat(resultOf(awaitResult(jobId))).isInstanceOfSatisfying(StageResult.StageSucceeded.class,
                s -> assertThat(s.output().path("type").asText()).isEqualTo("pull_request.opened"));
        assertThat(results.seen()).noneMatch(r -> garbageKey.equals(r.key()));
    }

    @Test
    void shouldNeverRunARequestOfAnAbortedTransaction() {
        String aborted = newJobId();
        String committed = newJobId();

        inTransaction(p -> p.send(partitionZero(record(request(aborted, "decide", AgentSpec.builtin("decide"), "{}"), newTraceparent()))), false);
        inTransaction(p -> p.send(partitionZero(record(request(committed, "decide", AgentSpec.builtin("decide"), "{}"), newTraceparent()))), true);

        assertThat(resultOf(awaitResult(committed))).isInstanceOf(StageResult.StageSucceeded.class);
        assertThat(results.seen()).noneMatch(r -> aborted.equals(r.key()));
    }

    @Test
    void shouldWriteActFilesIntoTheConfiguredWorkspace() {
        String jobId = newJobId();
        AgentSpec act = new AgentSpec("builtin", "act", settings(
                "{\"actions\":[{\"type\":\"write-file\",\"path\":\"hello.txt\",\"content\":\"hello from the worker\"}]}"));

        sendCommitted(record(request(jobId, "act", act, "{}"), newTraceparent()));

        assertThat(resultOf(awaitResult(jobId))).isInstanceOf(StageResult.StageSucceeded.class);
        assertThat(workspace.resolve("jobs").resolve(jobId).resolve("hello.txt")).hasContent("hello from the worker");
    }

    @Test
    void shouldConfigureTheShareGroupForCommittedRecordsFromTheEarliestOffset() throws Exception {
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, topics.namespace() + "jobpipe-agent-worker");

        Config config = kafka.admin().describeConfigs(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);

        assertThat(config.get("share.isolation.level").value()).isEqualTo("read_committed");
        assertThat(config.get("share.auto.offset.reset").value()).isEqualTo("earliest");
        // Clearly below the 30 s stage timeout, so a stuck record comes back before its attempt times out.
        assertThat(config.get("share.record.lock.duration.ms").value()).isEqualTo("15000");
    }

    @Test
    void shouldReportUpOnHealthWithItsShareConsumers() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.getURL() + "/health")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        ObjectNode health = (ObjectNode) Json.MAPPER.readTree(response.body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        // One share consumer per stage of the seven-stage pipeline.
        assertThat(health.path("details").path("agentWorker").path("details").path("threads").size()).isEqualTo(7);
        assertThat(health.path("details").path("agentWorker").path("details").path("kafkaNodes").asInt()).isEqualTo(1);
    }

    private static ProducerRecord<String, byte[]> partitionZero(ProducerRecord<String, byte[]> record) {
        return new ProducerRecord<>(record.topic(), 0, record.key(), record.value(), record.headers());
    }
}
