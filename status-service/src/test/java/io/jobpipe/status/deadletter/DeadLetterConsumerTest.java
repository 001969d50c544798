package io.jobpipe.status.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.kafka.DeadLetterHeaders;
import io.jobpipe.core.kafka.Topic;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.status.ops.OpsClient;
import io.jobpipe.status.store.DeadLetterRecord;
import io.jobpipe.status.store.DeadLetterRecords;
import io.jobpipe.status.store.JobEventProjector;
import io.jobpipe.testing.KafkaFixture;
import io.jobpipe.testing.PrometheusText;
import io.jobpipe.testing.TestNames;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Dead-letter topics on a real broker into the dead_letters table, and out of GET /ops/dead-letters/{jobId}. */
class DeadLetterConsumerTest {
    private static final Instant T0 = Instant.parse("2025-06-01T08:00:00Z");
    private static StatusTestApp app;
    private static Topics topics;

    @BeforeAll
    static void start(TestInfo info) {
        topics = TestNames.topics(info);
        app = StatusTestApp.withKafka("deadletters", topics.namespace(), Map.of("jobpipe.ops.tokens", OpsClient.TOKENS));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void shouldRecordTheStageRequestOfADeadLetteredJobWithItsHeaders() throws Exception {
        String jobId = "job-dlq-" + System.nanoTime();
        app.bean(JobEventProjector.class).project(TestEvents.incoming(TestEvents.deadLetteredAtEnrich(jobId, T0)));
        Topic<StageRequested> dlq = topics.deadLetter("enrich");
        StageRequested request = new StageRequested("evt-sr-" + jobId, jobId, T0.plusSeconds(7), "default", "enrich",
                2, 5, AgentSpec.builtin("enrich"), JsonNodeFactory.instance.objectNode().put("payload", "p"),
                T0.plusSeconds(37));
        RecordHeaders headers = new RecordHeaders();
        DeadLetterHeaders.put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, topics.stage("enrich").name());
        DeadLetterHeaders.put(headers, DeadLetterHeaders.ERROR_CLASS, "HttpError");
        DeadLetterHeaders.put(headers, DeadLetterHeaders.ERROR_MESSAGE, "503 from agent");
        DeadLetterHeaders.put(headers, DeadLetterHeaders.ATTEMPTS, "5");
        DeadLetterHeaders.put(headers, DeadLetterHeaders.FIRST_FAILURE, T0.plusSeconds(2).toString());
        DeadLetterHeaders.put(headers, DeadLetterHeaders.LAST_FAILURE, T0.plusSeconds(8).toString());
        DeadLetterHeaders.put(headers, DeadLetterHeaders.TRACE_ID, TestEvents.TRACE_ID);
        DeadLetterHeaders.put(headers, DeadLetterHeaders.DEAD_LETTERED_BY, "orchestrator");
        send(dlq.name(), jobId, dlq.valueSerde().serializer().serialize(dlq.name(), request), headers);

        DeadLetterRecord stored = awaitRecord(jobId);

        assertThat(stored.topic()).isEqualTo(dlq.name());
        assertThat(stored.stage()).isEqualTo("enrich");
        assertThat(stored.errorClass()).isEqualTo("HttpError");
        assertThat(stored.errorMessage()).isEqualTo("503 from agent");
        assertThat(stored.attempts()).isEqualTo(5);
        assertThat(stored.firstFailureAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(stored.lastFailureAt()).isEqualTo(T0.plusSeconds(8));
        assertThat(stored.traceId()).isEqualTo(TestEvents.TRACE_ID);
        assertThat(stored.deadLetteredBy()).isEqualTo("orchestrator");
        assertThat(stored.headers()).containsEntry(DeadLetterHeaders.ORIGINAL_TOPIC, topics.stage("enrich").name());
        assertThat(stored.rawValue()).isNull();
        JsonNode record = OpsClient.json(new OpsClient(app).get("/ops/dead-letters/" + jobId, OpsClient.READ_TOKEN),
                200).get("record");
        assertThat(record.get("topic").asText()).isEqualTo(dlq.name());
        assertThat(record.get("offset").asLong()).isEqualTo(stored.offset());
        assertThat(record.get("headers").get(DeadLetterHeaders.ATTEMPTS).asText()).isEqualTo("5");
        assertThat(record.get("value").get("type").asText()).isEqualTo("StageRequested");
        assertThat(record.get("value").get("attempt").asInt()).isEqualTo(5);
        assertThat(record.get("value").get("input").get("payload").asText()).isEqualTo("p");
        PrometheusText metrics = PrometheusText.parse(new OpsClient(app).get("/metrics", null).body());
        assertThat(metrics.value("jobpipe_dead_letters_recorded_total", Map.of())).isGreaterThanOrEqualTo(1);
    }

    @Test
    void shouldRecordAValueThatIsNotJsonRawAndGoOn() {
        String jobId = "job-raw-" + System.nanoTime();
        String next = "job-after-raw-" + System.nanoTime();
        String topic = topics.deadLetter("validate").name();
        RecordHeaders headers = new RecordHeaders();
        DeadLetterHeaders.put(headers, DeadLetterHeaders.REASON, DeadLetterHeaders.REASON_UNDESERIALIZABLE);
        DeadLetterHeaders.put(headers, DeadLetterHeaders.ATTEMPTS, "not-a-number");
        DeadLetterHeaders.put(headers, DeadLetterHeaders.DEAD_LETTERED_BY, "agent-worker");
        byte[] garbage = {(byte) 0xff, 0x00, '{', 'x'};
        send(topic, jobId, garbage, headers);
        send(topic, next, "{\"jobId\":\"x\",\"text\":\"nul \\u0000 inside\"}".getBytes(StandardCharsets.UTF_8),
                new RecordHeaders());

        DeadLetterRecord raw = awaitRecord(jobId);
        DeadLetterRecord nul = awaitRecord(next);

        assertThat(raw.rawValue()).isEqualTo(garbage);
        assertThat(raw.valueJson()).isNull();
        assertThat(raw.reason()).isEqualTo("undeserializable");
        assertThat(raw.attempts()).isNull();
        assertThat(raw.headers()).containsEntry(DeadLetterHeaders.ATTEMPTS, "not-a-number");
        assertThat(raw.stage()).isEqualTo("validate");
        // PostgreSQL's jsonb cannot hold \u0000: that JSON value is kept raw instead of stalling the partition.
        assertThat(nul.valueJson()).isNull();
        assertThat(new String(nul.rawValue(), StandardCharsets.UTF_8)).contains("nul");
    }

    private static DeadLetterRecord awaitRecord(String jobId) {
        DeadLetterRecords records = app.bean(DeadLetterRecords.class);
        return await().atMost(Duration.ofSeconds(20)).until(() -> records.latestFor(jobId), Optional::isPresent)
                .orElseThrow();
    }

    private static void send(String topic, String key, byte[] value, RecordHeaders headers) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.shared().bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, null, key.getBytes(StandardCharsets.UTF_8), value, headers));
            producer.flush();
        }
    }
}
