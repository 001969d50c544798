package io.jobpipe.worker.kafka;

import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.tracing.Telemetry;
import io.jobpipe.support.kafka.KafkaClientConfigs;
import io.jobpipe.support.kafka.KafkaClientProperties;
import io.jobpipe.testing.KafkaFixture;
import io.jobpipe.testing.TestNames;
import io.jobpipe.worker.agent.AgentOutcome;
import io.jobpipe.worker.agent.AgentRegistry;
import io.jobpipe.worker.agent.AgentRunner;
import io.jobpipe.worker.agent.TestRequests;
import io.jobpipe.worker.config.WorkerProperties;
import io.jobpipe.worker.run.StageExecutor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.jobpipe.worker.agent.TestRequests.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One share consumer feeds several agents: the records of one poll run on the agent pool at the same time, and
 * each is acknowledged once its result is in Kafka.
 */
class AgentPoolTest {

    @Test
    void shouldRunTheAgentsOfOneBatchAtTheSameTimeOnThePool(TestInfo info) throws Exception {
        KafkaFixture kafka = KafkaFixture.shared();
        Topics topics = TestNames.topics(info);
        String stageTopic = topics.stage("validate").name();
        kafka.admin().createTopics(List.of(new NewTopic(stageTopic, 1, (short) 1),
                new NewTopic(topics.stageResults.name(), 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        String groupId = WorkerClients.groupId(topics.namespace());
        new ShareGroupSetup(kafka.admin()).configure(groupId);
        // Each agent finishes only once both are running: run one after another, both would fail.
        CountDownLatch bothRunning = new CountDownLatch(2);
        AgentRegistry agents = new AgentRegistry(Map.of("validate", request -> {
            bothRunning.countDown();
            try {
                return bothRunning.await(10, TimeUnit.SECONDS)
                        ? AgentOutcome.success(Json.MAPPER.createObjectNode(), "ran alongside another agent")
                        : AgentOutcome.failure("Sequential", "the other agent never ran at the same time", false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return AgentOutcome.failure("Interrupted", "interrupted", true);
            }
        }));

        KafkaClientConfigs clients = new KafkaClientConfigs(kafka.bootstrapServers(), KafkaClientProperties.none());
        WorkerProperties worker = new WorkerProperties(1, 2, "unused", 10, Duration.ofMillis(200),
                Duration.ofSeconds(5), Duration.ofSeconds(1));
        WorkerStats stats = new WorkerStats(new SimpleMeterRegistry());
        ExecutorService pool = Executors.newFixedThreadPool(worker.agentThreads());
        try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().build()).build();
             KafkaProducer<byte[], byte[]> resultProducer = new KafkaProducer<>(WorkerClients.resultProducer(clients, worker));
             KafkaProducer<String, byte[]> orchestrator = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer());
             TopicReader results = new TopicReader(kafka.bootstrapServers(), topics.stageResults.name())) {
            for (String jobId : List.of("job_pool_a", "job_pool_b")) {
                StageRequested request = TestRequests.request(jobId, "validate", AgentSpec.builtin("validate"),
                        "shop", "webhook", json("{\"a\":1}"), Json.MAPPER.createObjectNode());
                orchestrator.send(new ProducerRecord<>(stageTopic, jobId,
                        topics.stage("validate").valueSerde().serializer().serialize(stageTopic, request))).get();
            }
            StageRecordHandler handler = new StageRecordHandler(topics,
                    new StageExecutor(new AgentRunner(agents), Telemetry.tracer(sdk), Clock.systemUTC()),
                    new StageResultPublisher(resultProducer, topics.stageResults),
                    new PoisonPublisher(resultProducer, topics.poison, Clock.systemUTC()), stats);
            StageRequestLoop loop = new StageRequestLoop("pool-loop", new KafkaShareConsumer<>(
                    WorkerClients.shareConsumer(clients, groupId, "pool-loop", worker)),
                    List.of(stageTopic), handler, pool, stats, worker.pollTimeout(), worker.sendTimeout());
            Thread thread = new Thread(loop, "pool-loop");
            thread.start();
            try {
                for (String jobId : List.of("job_pool_a", "job_pool_b")) {
                    var result = results.awaitRecord(r -> jobId.equals(r.key()), Duration.ofSeconds(60));
                    assertThat(topics.stageResults.valueSerde().deserializer().deserialize("", result.value()))
                            .isInstanceOf(StageResult.StageSucceeded.class);
                }
            } finally {
                loop.stop();
                assertThat(loop.awaitStopped(Duration.ofSeconds(30))).isTrue();
                pool.shutdownNow();
            }
            assertThat(stats.counters()).containsEntry("succeeded", 2L).containsEntry("accepted", 2L)
                    .containsEntry("released", 0L);
        }
    }

    @Test
    void shouldReleaseARecordWhoseAgentRanOutOfMemoryAndKeepPolling(TestInfo info) throws Exception {
        KafkaFixture kafka = KafkaFixture.shared();
        Topics topics = TestNames.topics(info);
        String stageTopic = topics.stage("validate").name();
        kafka.admin().createTopics(List.of(new NewTopic(stageTopic, 1, (short) 1),
                new NewTopic(topics.stageResults.name(), 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        String groupId = WorkerClients.groupId(topics.namespace());
        new ShareGroupSetup(kafka.admin()).configure(groupId);
        // AgentRunner lets a VirtualMachineError through on purpose; the first run of the agent throws one.
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        AgentRegistry agents = new AgentRegistry(Map.of("validate", request -> {
            if (runs.incrementAndGet() == 1) {
                throw new OutOfMemoryError("test: the agent ran out of memory");
            }
            return AgentOutcome.success(Json.MAPPER.createObjectNode(), "ran on redelivery");
        }));

        KafkaClientConfigs clients = new KafkaClientConfigs(kafka.bootstrapServers(), KafkaClientProperties.none());
        WorkerProperties worker = new WorkerProperties(1, 2, "unused", 10, Duration.ofMillis(200),
                Duration.ofSeconds(5), Duration.ofSeconds(1));
        WorkerStats stats = new WorkerStats(new SimpleMeterRegistry());
        ExecutorService pool = Executors.newFixedThreadPool(worker.agentThreads());
        try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().build()).build();
             KafkaProducer<byte[], byte[]> resultProducer = new KafkaProducer<>(WorkerClients.resultProducer(clients, worker));
             KafkaProducer<String, byte[]> orchestrator = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer());
             TopicReader results = new TopicReader(kafka.bootstrapServers(), topics.stageResults.name())) {
            String jobId = "job_oom";
            StageRequested request = TestRequests.request(jobId, "validate", AgentSpec.builtin("validate"),
                    "shop", "webhook", json("{\"a\":1}"), Json.MAPPER.createObjectNode());
            orchestrator.send(new ProducerRecord<>(stageTopic, jobId,
                    topics.stage("validate").valueSerde().serializer().serialize(stageTopic, request))).get();
            StageRecordHandler handler = new StageRecordHandler(topics,
                    new StageExecutor(new AgentRunner(agents), Telemetry.tracer(sdk), Clock.systemUTC()),
                    new StageResultPublisher(resultProducer, topics.stageResults),
                    new PoisonPublisher(resultProducer, topics.poison, Clock.systemUTC()), stats);
            StageRequestLoop loop = new StageRequestLoop("oom-loop", new KafkaShareConsumer<>(
                    WorkerClients.shareConsumer(clients, groupId, "oom-loop", worker)),
                    List.of(stageTopic), handler, pool, stats, worker.pollTimeout(), worker.sendTimeout());
            Thread thread = new Thread(loop, "oom-loop");
            thread.start();
            try {
                var result = results.awaitRecord(r -> jobId.equals(r.key()), Duration.ofSeconds(60));
                assertThat(topics.stageResults.valueSerde().deserializer().deserialize("", result.value()))
                        .isInstanceOf(StageResult.StageSucceeded.class);
            } finally {
                loop.stop();
                assertThat(loop.awaitStopped(Duration.ofSeconds(30))).isTrue();
                pool.shutdownNow();
            }
            assertThat(runs.get()).isEqualTo(2);
            assertThat(stats.counters()).containsEntry("released", 1L).containsEntry("accepted", 1L);
        }
    }
}
