package io.jobpipe.worker.kafka;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
import io.jobpipe.worker.agent.AgentRegistry;
import io.jobpipe.worker.agent.AgentRunner;
import io.jobpipe.worker.agent.TestRequests;
import io.jobpipe.worker.agent.builtin.ValidateAgent;
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
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.jobpipe.worker.agent.TestRequests.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the share group does with a request whose result could not be written: the worker RELEASEs it,
 * the broker hands it out again with a higher delivery count, and the result lands once Kafka can take it.
 * Every line written about the record, its acknowledgement included, carries its job's log fields.
 */
class ShareGroupRedeliveryTest {

    @Test
    void shouldReleaseARequestWhoseResultCannotBeWrittenAndProcessItOnRedelivery(TestInfo info) throws Exception {
        KafkaFixture kafka = KafkaFixture.shared();
        Topics topics = TestNames.topics(info);
        String stageTopic = topics.stage("validate").name();
        // The results topic does not exist yet (the broker does not auto-create), so the first send must fail.
        kafka.admin().createTopics(List.of(new NewTopic(stageTopic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        String groupId = WorkerClients.groupId(topics.namespace());
        new ShareGroupSetup(kafka.admin()).configure(groupId);

        KafkaClientConfigs clients = new KafkaClientConfigs(kafka.bootstrapServers(), KafkaClientProperties.none());
        WorkerProperties worker = new WorkerProperties("unused", 10, Duration.ofMillis(200), Duration.ofSeconds(5),
                Duration.ofSeconds(1));
        WorkerStats stats = new WorkerStats(new SimpleMeterRegistry());
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger(StageRecordHandler.class),
                (Logger) LoggerFactory.getLogger(PendingAck.class));
        loggers.forEach(logger -> logger.addAppender(lines));
        try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().build()).build();
             KafkaProducer<byte[], byte[]> resultProducer = new KafkaProducer<>(WorkerClients.resultProducer(clients, worker));
             KafkaProducer<String, byte[]> orchestrator = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            StageRecordHandler handler = new StageRecordHandler(topics,
                    new StageExecutor(new AgentRunner(new AgentRegistry(Map.of("validate", new ValidateAgent()))),
                            Telemetry.tracer(sdk), Clock.systemUTC()),
                    new StageResultPublisher(resultProducer, topics.stageResults),
                    new PoisonPublisher(resultProducer, topics.poison, Clock.systemUTC()), stats);
            StageRequestLoop loop = new StageRequestLoop("test-loop", new KafkaShareConsumer<>(
                    WorkerClients.shareConsumer(clients, groupId, "test-loop", worker)),
                    List.of(stageTopic), handler, Runnable::run, stats, worker.pollTimeout(), worker.sendTimeout());
            Thread thread = new Thread(loop, "test-loop");
            thread.start();
            try {
                StageRequested request = TestRequests.request("job_redelivered", "validate", AgentSpec.builtin("validate"),
                        "shop", "webhook", json("{\"a\":1}"), Json.MAPPER.createObjectNode());
                orchestrator.send(new ProducerRecord<>(stageTopic, request.jobId(),
                        topics.stage("validate").valueSerde().serializer().serialize(stageTopic, request))).get();

                await().atMost(Duration.ofSeconds(60)).until(() -> (Long) stats.counters().get("released") >= 1);
                kafka.admin().createTopics(List.of(new NewTopic(topics.stageResults.name(), 1, (short) 1)))
                        .all().get(30, TimeUnit.SECONDS);

                try (TopicReader results = new TopicReader(kafka.bootstrapServers(), topics.stageResults.name())) {
                    var result = results.awaitRecord(r -> "job_redelivered".equals(r.key()), Duration.ofSeconds(60));
                    assertThat(topics.stageResults.valueSerde().deserializer().deserialize("", result.value()))
                            .isInstanceOf(StageResult.StageSucceeded.class);
                }
                assertThat(stats.counters()).containsEntry("released", 1L).containsEntry("redelivered", 1L)
                        .containsEntry("accepted", 1L).containsEntry("succeeded", 2L);
            } finally {
                loop.stop();
                assertThat(loop.awaitStopped(Duration.ofSeconds(30))).isTrue();
            }
        } finally {
            loggers.forEach(logger -> logger.detachAppender(lines));
        }
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(line -> line.contains("not written to Kafka"))
                .anyMatch(line -> line.startsWith("redelivery 2 of"))
                .anyMatch(line -> line.startsWith("stage validate attempt 1 succeeded"));
        assertThat(lines.list).allSatisfy(line -> assertThat(line.getMDCPropertyMap())
                .containsEntry("jobId", "job_redelivered").containsEntry("stage", "validate"));
        assertThat(lines.list).filteredOn(line -> line.getLoggerName().endsWith("PendingAck"))
                .allSatisfy(line -> assertThat(line.getMDCPropertyMap()).containsEntry("attempt", "1"));
    }
}
