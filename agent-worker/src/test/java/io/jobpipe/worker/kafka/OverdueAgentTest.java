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
import io.jobpipe.worker.config.WorkerProperties;
import io.jobpipe.worker.run.AttemptWatches;
import io.jobpipe.worker.run.StageExecutor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent that runs long is heartbeated for, and one that outlives its stage timeout is interrupted: its attempt
 * is reported timed out and acknowledged at once, the agent's own result follows as a late one, and the agent
 * thread goes on to the next record uninterrupted.
 */
class OverdueAgentTest {

    @Test
    void shouldHeartbeatThenInterruptAnAgentThatOutlivesItsTimeoutAndRunTheNextRecord(TestInfo info) throws Exception {
        KafkaFixture kafka = KafkaFixture.shared();
        Topics topics = TestNames.topics(info);
        String stageTopic = topics.stage("act").name();
        kafka.admin().createTopics(List.of(new NewTopic(stageTopic, 1, (short) 1),
                new NewTopic(topics.stageResults.name(), 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        String groupId = WorkerClients.groupId(topics.namespace());
        new ShareGroupSetup(kafka.admin()).configure(groupId);
        AgentRegistry agents = new AgentRegistry(Map.of("act", request -> {
            long sleepMs = request.input().path("sleepMs").asLong();
            try {
                Thread.sleep(sleepMs);
                return AgentOutcome.success(Json.MAPPER.createObjectNode(), "slept " + sleepMs + " ms");
            } catch (InterruptedException e) {
                return AgentOutcome.failure("Interrupted", "interrupted while sleeping", true);
            }
        }));
        KafkaClientConfigs clients = new KafkaClientConfigs(kafka.bootstrapServers(), KafkaClientProperties.none());
        WorkerProperties worker = new WorkerProperties(1, 1, "unused", 10, Duration.ofMillis(200),
                Duration.ofSeconds(5), Duration.ofSeconds(1), 0.25);
        WorkerStats stats = new WorkerStats(new SimpleMeterRegistry());
        // One agent thread: the second record runs on the thread the first agent was interrupted on.
        ExecutorService pool = Executors.newFixedThreadPool(worker.agentThreads());
        try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().build()).build();
             AttemptWatches watches = new AttemptWatches(worker.heartbeatFraction(), Duration.ofSeconds(30), Clock.systemUTC());
             KafkaProducer<byte[], byte[]> resultProducer = new KafkaProducer<>(WorkerClients.resultProducer(clients, worker));
             KafkaProducer<String, byte[]> orchestrator = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer());
             TopicReader results = new TopicReader(kafka.bootstrapServers(), topics.stageResults.name())) {
            Instant now = Instant.now();
            send(orchestrator, topics, request("job_hung", now, Duration.ofSeconds(4), 60_000));
            send(orchestrator, topics, request("job_quick", now, Duration.ofSeconds(30), 10));
            StageRecordHandler handler = new StageRecordHandler(topics,
                    new StageExecutor(new AgentRunner(agents), Telemetry.tracer(sdk), Clock.systemUTC()),
                    new StageResultPublisher(resultProducer, topics.stageResults),
                    new PoisonPublisher(resultProducer, topics.poison, Clock.systemUTC()), stats, watches);
            StageRequestLoop loop = new StageRequestLoop("overdue-loop", new KafkaShareConsumer<>(
                    WorkerClients.shareConsumer(clients, groupId, "overdue-loop", worker)),
                    List.of(stageTopic), handler, pool, stats, worker.pollTimeout(), worker.sendTimeout());
            Thread thread = new Thread(loop, "overdue-loop");
            thread.start();
            List<StageResult> hung;
            try {
                // The agent's own result comes last: after it was interrupted at its timeout.
                results.awaitRecord(r -> "job_hung".equals(r.key()) && resultOf(topics, r) instanceof
                        StageResult.StageFailed failed && failed.errorType().equals("Interrupted"), Duration.ofSeconds(60));
                hung = results.seen().stream().filter(r -> "job_hung".equals(r.key())).map(r -> resultOf(topics, r)).toList();
                StageResult quick = resultOf(topics, results.awaitRecord(r -> "job_quick".equals(r.key()), Duration.ofSeconds(30)));
                assertThat(quick).as("the thread the hung agent was interrupted on runs the next one, uninterrupted")
                        .isInstanceOf(StageResult.StageSucceeded.class);
            } finally {
                loop.stop();
                assertThat(loop.awaitStopped(Duration.ofSeconds(30))).isTrue();
                pool.shutdownNow();
            }
            assertThat(hung).extracting(r -> r.getClass().getSimpleName())
                    .as("heartbeats every second, the timeout at 4 s, then the agent's own late result")
                    .containsSubsequence("StageHeartbeat", "StageHeartbeat", "StageFailed", "StageFailed")
                    .doesNotContain("StageSucceeded");
            StageResult.StageFailed timeout = (StageResult.StageFailed) hung.stream()
                    .filter(StageResult.StageFailed.class::isInstance).findFirst().orElseThrow();
            assertThat(timeout.errorType()).isEqualTo("StageTimeout");
            assertThat(timeout.retryable()).isTrue();
            assertThat(timeout.message()).contains("ran past the stage timeout of 4 s", "interrupted");
            assertThat(hung.get(hung.size() - 1)).isInstanceOfSatisfying(StageResult.StageFailed.class,
                    late -> assertThat(late.errorType()).isEqualTo("Interrupted"));
            assertThat(stats.counters()).containsEntry("accepted", 2L).containsEntry("released", 0L);
        }
    }

    private static StageRequested request(String jobId, Instant dispatchedAt, Duration timeout, long sleepMs) {
        return new StageRequested("evt_" + jobId, jobId, dispatchedAt, "default", "act", 4, 1, AgentSpec.builtin("act"),
                Json.MAPPER.createObjectNode().put("sleepMs", sleepMs), dispatchedAt.plus(timeout));
    }

    private static void send(KafkaProducer<String, byte[]> producer, Topics topics, StageRequested request) throws Exception {
        String topic = topics.stage("act").name();
        producer.send(new ProducerRecord<>(topic, request.jobId(),
                topics.stage("act").valueSerde().serializer().serialize(topic, request))).get();
    }

    private static StageResult resultOf(Topics topics, ConsumerRecord<String, byte[]> record) {
        return topics.stageResults.valueSerde().deserializer().deserialize("", record.value());
    }
}
