package io.jobpipe.worker.kafka;

import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.tracing.Telemetry;
import io.jobpipe.support.callback.CallbackSecretProperties;
import io.jobpipe.support.callback.CallbackToken;
import io.jobpipe.support.callback.CallbackTokens;
import io.jobpipe.support.callback.CallbackVerification;
import io.jobpipe.worker.agent.AgentRegistry;
import io.jobpipe.worker.agent.AgentRunner;
import io.jobpipe.worker.callback.CallbackUrls;
import io.jobpipe.worker.config.CallbackProperties;
import io.jobpipe.worker.config.WorkerProperties;
import io.jobpipe.worker.run.AttemptWatches;
import io.jobpipe.worker.run.StageExecutor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An asynchronous agent on a worker with a public base URL: it is handed a callback URL under that base whose token
 * ingest takes for exactly its job, stage and attempt (the same URL however often it asks), answers "pending", and
 * the worker reports the attempt as waiting for the callback (a heartbeat on {@code jobpipe.stage.results}) and
 * acknowledges the record.
 */
class AsyncAgentCallbackUrlTest {
    private static final String SECRET = "callback-secret-0123456789abcdef-0123456789";

    @Test
    void shouldHandAnAsyncAgentItsAttemptsCallbackUrlAndReportTheAttemptAsWaiting(TestInfo info) throws Exception {
        StageTopicRig rig = StageTopicRig.create(info, "parse");
        List<Optional<URI>> seen = new CopyOnWriteArrayList<>();
        AgentRegistry agents = new AgentRegistry(Map.of("parse", call -> {
            seen.add(call.callbackUrl());
            seen.add(call.callbackUrl());
            return AgentOutcome.pending("parser job 17 queued");
        }));
        CallbackUrls callbacks = CallbackUrls.configure(new CallbackProperties("https://jobpipe.example.com", false,
                Duration.ofMinutes(5)), new CallbackSecretProperties(SECRET, null),
                host -> new InetAddress[]{InetAddress.getByName("203.0.113.7")}, Clock.systemUTC());
        WorkerProperties worker = new WorkerProperties("unused", 10, Duration.ofMillis(200),
                Duration.ofSeconds(5), Duration.ofSeconds(1));
        Instant now = Instant.now();
        StageRequested request = new StageRequested("evt_1", "job_async", now, "docs", "parse", 0, 2,
                AgentSpec.builtin("parse"), Json.MAPPER.createObjectNode(), now.plusSeconds(30));

        PendingAck ack;
        StageResult reported;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(WorkerClients.resultProducer(rig.clients, worker));
             AttemptWatches watches = new AttemptWatches(0.5, Duration.ofSeconds(30), Clock.systemUTC());
             TopicReader results = rig.results()) {
            StageRecordHandler handler = new StageRecordHandler(rig.topics,
                    new StageExecutor(new AgentRunner(agents), Telemetry.tracer(OpenTelemetry.noop()), Clock.systemUTC()),
                    new StageResultPublisher(producer, rig.topics.stageResults),
                    new PoisonPublisher(producer, rig.topics.poison, Clock.systemUTC()),
                    new WorkerStats(new SimpleMeterRegistry()), watches, callbacks);
            byte[] value = rig.topics.stage("parse").valueSerde().serializer().serialize(rig.stageTopic, request);
            ack = handler.handle(new ConsumerRecord<>(rig.stageTopic, 0, 0L,
                    "job_async".getBytes(StandardCharsets.UTF_8), value));
            assertThat(ack.await(Duration.ofSeconds(30))).isEqualTo(AcknowledgeType.ACCEPT);
            reported = rig.resultOf(results.awaitRecord(r -> "job_async".equals(r.key()), Duration.ofSeconds(30)));
        }

        assertThat(seen).hasSize(2).allSatisfy(url -> assertThat(url).isPresent());
        assertThat(seen.get(1)).as("one URL per attempt").isEqualTo(seen.get(0));
        URI url = seen.get(0).orElseThrow();
        assertThat(url.toString()).startsWith("https://jobpipe.example.com/callbacks/");
        CallbackTokens ingest = new CallbackSecretProperties(SECRET, null).tokens("test");
        CallbackVerification verified = ingest.verify(url.getPath().substring("/callbacks/".length()), Instant.now());
        assertThat(verified).isInstanceOfSatisfying(CallbackVerification.Valid.class, valid -> {
            CallbackToken token = valid.token();
            assertThat(List.of(token.jobId(), token.stage(), String.valueOf(token.attempt())))
                    .containsExactly("job_async", "parse", "2");
            assertThat(token.expiresAt()).isAfter(now.plus(Duration.ofMinutes(5)));
        });
        assertThat(reported).isInstanceOfSatisfying(StageResult.StageHeartbeat.class, heartbeat -> {
            assertThat(heartbeat.attempt()).isEqualTo(2);
            assertThat(heartbeat.message()).isEqualTo("waiting for the agent's callback: parser job 17 queued");
        });
    }
}
