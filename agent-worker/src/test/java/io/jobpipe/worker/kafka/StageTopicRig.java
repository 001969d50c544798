package io.jobpipe.worker.kafka;

import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.support.kafka.KafkaClientConfigs;
import io.jobpipe.support.kafka.KafkaClientProperties;
import io.jobpipe.testing.KafkaFixture;
import io.jobpipe.testing.TestNames;
import io.jobpipe.core.tracing.Telemetry;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.worker.agent.AgentRegistry;
import io.jobpipe.worker.agent.AgentRunner;
import io.jobpipe.worker.config.WorkerProperties;
import io.jobpipe.worker.run.AttemptWatches;
import io.jobpipe.worker.run.StageExecutor;
import io.opentelemetry.api.OpenTelemetry;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.TestInfo;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One test's stage topic, results topic and share group on the shared broker (named from the test), and the
 * clients that a worker and the orchestrator use with them.
 */
final class StageTopicRig {
    final KafkaFixture kafka = KafkaFixture.shared();
    final Topics topics;
    final String stage;
    final String stageTopic;
    final String groupId;
    final KafkaClientConfigs clients;

    private StageTopicRig(TestInfo info, String stage) {
        this.topics = TestNames.topics(info);
        this.stage = stage;
        this.stageTopic = topics.stage(stage).name();
        this.groupId = WorkerClients.groupId(topics.namespace());
        this.clients = new KafkaClientConfigs(kafka.bootstrapServers(), KafkaClientProperties.none());
    }

    /** Creates the stage and results topics and configures the group as the worker does, with a lock of {@code lockMs}. */
    static StageTopicRig create(TestInfo info, String stage, long lockMs) throws Exception {
        StageTopicRig rig = new StageTopicRig(info, stage);
        rig.kafka.admin().createTopics(List.of(new NewTopic(rig.stageTopic, 1, (short) 1),
                new NewTopic(rig.topics.stageResults.name(), 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        new ShareGroupSetup(rig.kafka.admin()).configure(rig.groupId, lockMs);
        return rig;
    }

    /** Sets one of the share group's configs, as an operator would with {@code kafka-configs.sh}. */
    void setGroupConfig(String name, String value) throws Exception {
        kafka.admin().incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, groupId),
                List.of(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET))))
                .all().get(30, TimeUnit.SECONDS);
    }

    static StageTopicRig create(TestInfo info, String stage) throws Exception {
        return create(info, stage, ShareGroupSetup.LOCK_DURATION_MS);
    }

    /** A producer that writes stage requests as the orchestrator does (key = jobId). */
    KafkaProducer<String, byte[]> orchestrator() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    void send(KafkaProducer<String, byte[]> orchestrator, StageRequested request) throws Exception {
        orchestrator.send(new ProducerRecord<>(stageTopic, request.jobId(),
                topics.stage(stage).valueSerde().serializer().serialize(stageTopic, request))).get();
    }

    TopicReader results() {
        return new TopicReader(kafka.bootstrapServers(), topics.stageResults.name());
    }

    StageResult resultOf(ConsumerRecord<String, byte[]> record) {
        return topics.stageResults.valueSerde().deserializer().deserialize("", record.value());
    }

    /** The worker's handler of this rig's records: {@code agents} run, results and poison copies through {@code producer}. */
    StageRecordHandler handler(AgentRegistry agents, OpenTelemetry telemetry, KafkaProducer<byte[], byte[]> producer,
                               WorkerStats stats, AttemptWatches watches) {
        return new StageRecordHandler(topics,
                new StageExecutor(new AgentRunner(agents), Telemetry.tracer(telemetry), Clock.systemUTC()),
                new StageResultPublisher(producer, topics.stageResults),
                new PoisonPublisher(producer, topics.poison, Clock.systemUTC()), stats, watches);
    }

    /** A poll loop of its own share consumer in the group, not started. */
    StageRequestLoop loop(String name, StageRecordHandler handler, Executor agents, WorkerStats stats,
                          WorkerProperties worker) {
        return new StageRequestLoop(name, new KafkaShareConsumer<>(WorkerClients.shareConsumer(clients, groupId, name,
                worker)), List.of(stageTopic), handler, agents, stats, worker.pollTimeout(), worker.sendTimeout());
    }

    /** What a slow agent does: sleeps {@code millis}, and fails retryably if interrupted meanwhile. */
    static AgentOutcome sleep(long millis) {
        try {
            Thread.sleep(millis);
            return AgentOutcome.success(Json.MAPPER.createObjectNode(), "slept " + millis + " ms");
        } catch (InterruptedException e) {
            return AgentOutcome.failure("Interrupted", "interrupted while sleeping", true);
        }
    }
}
