package io.jobpipe.worker.kafka;

import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.testing.KafkaFixture;
import io.jobpipe.testing.TestNames;
import io.jobpipe.worker.agent.GateAgentProvider;
import io.jobpipe.worker.agent.GateAgentProvider.Gate;
import io.jobpipe.worker.agent.TestRequests;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.admin.ShareMemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.jobpipe.worker.agent.TestRequests.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole worker against the real broker: each stage it serves has its own share consumer and agent pool of the
 * stage's concurrency, so a saturated stage does not hold up the others, and a worker given a subset of the stages
 * consumes only their topics.
 */
class PerStageWorkerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final KafkaFixture kafka = KafkaFixture.shared();
    private final List<AutoCloseable> open = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() throws Exception {
        Gate.open();
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void shouldRunAnotherStagesJobsWhileASlowStageHasAllItsAgentsBusy(TestInfo info) throws Exception {
        Path pipelines = Files.writeString(dir.resolve("pipelines.yaml"), """
                pipelines:
                  default:
                    stages:
                      - name: slow
                        agent: java:%s
                        concurrency: 2
                      - name: fast
                        agent: builtin:validate
                        concurrency: 4
                """.formatted(GateAgentProvider.NAME));
        Topics topics = TestNames.topics(info);
        Gate.close();
        // One consumer per agent slot: a slow agent holds only its own slot, so the stage runs all it may at once.
        startWorker(topics, Map.of("jobpipe.pipelines.file", pipelines.toString(), "jobpipe.worker.max-poll-records", 1));
        TopicReader results = results(topics);
        KafkaProducer<String, byte[]> orchestrator = orchestrator();

        List<String> slowJobs = List.of("job_slow_1", "job_slow_2", "job_slow_3", "job_slow_4");
        for (String jobId : slowJobs) {
            send(orchestrator, topics, request(jobId, "slow", AgentSpec.parse("java:" + GateAgentProvider.NAME, Map.of())));
        }
        // Both of the slow stage's agents are taken, and two more of its requests wait at the broker.
        await().atMost(PATIENCE).until(() -> Gate.running() == 2);
        List<String> fastJobs = List.of("job_fast_1", "job_fast_2", "job_fast_3", "job_fast_4", "job_fast_5");
        for (String jobId : fastJobs) {
            send(orchestrator, topics, request(jobId, "fast", AgentSpec.builtin("validate")));
        }

        for (String jobId : fastJobs) {
            assertThat(resultOf(topics, results.awaitRecord(r -> jobId.equals(r.key()), PATIENCE)))
                    .isInstanceOf(StageResult.StageSucceeded.class);
        }
        // The fast stage finished while every slow agent was still held at the gate, and the slow stage's other two
        // requests stay at the broker while its two slots are busy.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> Gate.running() == 2 && Gate.mostAtOnce() == 2);
        assertThat(results.seen()).noneMatch(r -> slowJobs.contains(r.key())
                && resultOf(topics, r) instanceof StageResult.StageSucceeded);

        Gate.open();
        for (String jobId : slowJobs) {
            assertThat(resultOf(topics, results.awaitRecord(r -> jobId.equals(r.key())
                    && resultOf(topics, r) instanceof StageResult.StageSucceeded, PATIENCE))).isNotNull();
        }
        assertThat(Gate.mostAtOnce()).isEqualTo(2);
    }

    @Test
    void shouldConsumeOnlyTheTopicsOfTheStagesItServes(TestInfo info) throws Exception {
        Topics topics = TestNames.topics(info);
        startWorker(topics, Map.of("jobpipe.worker.stages", "validate"));
        TopicReader results = results(topics);
        KafkaProducer<String, byte[]> orchestrator = orchestrator();

        send(orchestrator, topics, request("job_subset_validate", "validate", AgentSpec.builtin("validate")));
        send(orchestrator, topics, request("job_subset_normalize", "normalize", AgentSpec.builtin("normalize")));

        assertThat(resultOf(topics, results.awaitRecord(r -> r.key().equals("job_subset_validate"), PATIENCE)))
                .isInstanceOf(StageResult.StageSucceeded.class);
        ShareGroupDescription group = kafka.admin().describeShareGroups(List.of(WorkerClients.groupId(topics.namespace())))
                .describedGroups().get(WorkerClients.groupId(topics.namespace())).get(30, TimeUnit.SECONDS);
        Set<String> assigned = group.members().stream().map(ShareMemberDescription::assignment)
                .flatMap(assignment -> assignment.topicPartitions().stream()).map(TopicPartition::topic)
                .collect(Collectors.toSet());
        assertThat(group.members()).hasSize(1);
        assertThat(assigned).containsExactly(topics.stage("validate").name());
        assertThat(results.seen()).noneMatch(r -> r.key().equals("job_subset_normalize"));
    }

    private void startWorker(Topics topics, Map<String, Object> own) {
        Map<String, Object> properties = new java.util.HashMap<>(Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "jobpipe.topics.namespace", topics.namespace(),
                "jobpipe.worker.workspace", dir.resolve("workspace").toString(),
                "micronaut.server.host", "127.0.0.1",
                "micronaut.server.port", -1));
        properties.putAll(own);
        EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties);
        open.add(server);
        WorkerStats stats = server.getApplicationContext().getBean(WorkerStats.class);
        await().atMost(PATIENCE).until(() -> stats.phase() == WorkerStats.Phase.RUNNING);
    }

    private TopicReader results(Topics topics) {
        TopicReader reader = new TopicReader(kafka.bootstrapServers(), topics.stageResults.name());
        open.add(reader);
        return reader;
    }

    private KafkaProducer<String, byte[]> orchestrator() {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer());
        open.add(producer);
        return producer;
    }

    private static StageRequested request(String jobId, String stage, AgentSpec agent) {
        return TestRequests.request(jobId, stage, agent, "shop", "webhook", json("{\"a\":1}"),
                Json.MAPPER.createObjectNode());
    }

    private static void send(KafkaProducer<String, byte[]> producer, Topics topics, StageRequested request)
            throws Exception {
        String topic = topics.stage(request.stage()).name();
        producer.send(new ProducerRecord<>(topic, request.jobId(),
                topics.stage(request.stage()).valueSerde().serializer().serialize(topic, request))).get();
    }

    private static StageResult resultOf(Topics topics, ConsumerRecord<String, byte[]> record) {
        return topics.stageResults.valueSerde().deserializer().deserialize(record.topic(), record.value());
    }
}
