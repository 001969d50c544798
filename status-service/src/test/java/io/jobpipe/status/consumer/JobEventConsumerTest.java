package io.jobpipe.status.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.kafka.PoisonHeaders;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.tracing.SpanAttributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.jobpipe.status.SseClient;
import io.jobpipe.status.InMemorySpans;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.PoisonReader;
import io.jobpipe.status.TestEvents;
import io.jobpipe.testing.KafkaFixture;
import io.jobpipe.testing.TestNames;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The whole service on a real broker: JobEvents produced to the topic show up in the API. */
class JobEventConsumerTest {
    private static StatusTestApp app;
    private static Topics topics;

    @BeforeAll
    static void start(TestInfo info) {
        topics = TestNames.topics(info);
        app = StatusTestApp.withKafka("consumer", topics.namespace(), Map.of(InMemorySpans.ENABLED, true));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void shouldProjectProducedEventsWithTheTraceIdOfTheirHeaders() throws Exception {
        String jobId = "job-kafka-" + System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = producer(Map.of())) {
            for (JobEvent event : TestEvents.successfulRun(jobId, Instant.parse("2025-04-01T09:00:00Z"))) {
                producer.send(record(jobId, TestEvents.json(event).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }

        JsonNode job = awaitJob(jobId, "COMPLETED");
        assertThat(job.get("traceId").asText()).isEqualTo(TestEvents.TRACE_ID);
        assertThat(job.get("stages").findValuesAsText("status")).containsOnly("SUCCEEDED");
        assertThat(job.get("stages").get(1).get("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void shouldProjectEachEventInASpanThatIsAChildOfItsRecordsTraceContext() throws Exception {
        String jobId = "job-span-" + System.nanoTime();
        List<JobEvent> run = TestEvents.successfulRun(jobId, Instant.parse("2025-04-01T09:00:00Z"));
        try (KafkaProducer<String, byte[]> producer = producer(Map.of())) {
            for (JobEvent event : run) {
                producer.send(record(jobId, TestEvents.json(event).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }

        awaitJob(jobId, "COMPLETED");
        List<SpanData> spans = await().atMost(Duration.ofSeconds(10)).until(() -> app.bean(InMemorySpanExporter.class)
                .getFinishedSpanItems().stream()
                .filter(span -> jobId.equals(span.getAttributes().get(SpanAttributes.JOB_ID))).toList(),
                found -> found.size() >= run.size());
        assertThat(spans).extracting(span -> span.getAttributes().get(SpanAttributes.SEQ))
                .containsExactlyInAnyOrderElementsOf(run.stream().map(JobEvent::seq).toList());
        assertThat(spans).allSatisfy(span -> {
            assertThat(span.getName()).isEqualTo("project " + span.getAttributes().get(SpanAttributes.EVENT_TYPE));
            assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(span.getTraceId()).isEqualTo(TestEvents.TRACE_ID);
            assertThat(span.getParentSpanId()).isEqualTo(TestEvents.TRACEPARENT.split("-")[2]);
        });
    }

    @Test
    void shouldCopyARecordThatIsNotAJobEventToPoisonSkipItAndGoOn() throws Exception {
        String jobId = "job-poison-" + System.nanoTime();
        List<JobEvent> run = TestEvents.successfulRun(jobId, Instant.parse("2025-04-01T09:00:00Z"));
        try (KafkaProducer<String, byte[]> producer = producer(Map.of())) {
            producer.send(record(jobId, TestEvents.json(run.get(0)).getBytes(StandardCharsets.UTF_8)));
            producer.send(record(jobId, "{ this is not json".getBytes(StandardCharsets.UTF_8)));
            producer.send(record(jobId, "{\"type\":\"SomethingElse\"}".getBytes(StandardCharsets.UTF_8)));
            producer.send(record(jobId, TestEvents.json(run.get(1)).getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }

        JsonNode job = awaitJob(jobId, "RUNNING");
        assertThat(job.get("currentStage").asText()).isEqualTo("validate");
        assertThat(app.bean(ProjectionState.class).skipped()).isGreaterThanOrEqualTo(2);
        try (PoisonReader poison = new PoisonReader(topics)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(poison.poll().stream()
                    .filter(r -> jobId.equals(r.key()))
                    .map(r -> new String(r.value(), StandardCharsets.UTF_8) + " | "
                            + PoisonReader.header(r, PoisonHeaders.REFUSED_BY)))
                    .containsExactly("{ this is not json | status-service",
                            "{\"type\":\"SomethingElse\"} | status-service"));
        }
    }

    @Test
    void shouldSkipAnEventTheDatabaseRejectsWithoutStallingTheOthers() throws Exception {
        String rejected = "job-nul-" + System.nanoTime();
        String fine = "job-fine-" + System.nanoTime();
        Instant t0 = Instant.parse("2025-04-01T09:00:00Z");
        // PostgreSQL text and jsonb cannot hold U+0000: the insert fails the same way every time.
        JobEvent.JobAccepted withNul = new JobEvent.JobAccepted("evt-nul", rejected, t0, 1, "github", "d",
                "push", "req\u0000uest", "default", TestEvents.STAGES);
        long skippedBefore = app.bean(ProjectionState.class).skipped();
        try (KafkaProducer<String, byte[]> producer = producer(Map.of())) {
            producer.send(record(rejected, TestEvents.json(withNul).getBytes(StandardCharsets.UTF_8)));
            for (JobEvent event : TestEvents.successfulRun(fine, t0)) {
                producer.send(record(fine, TestEvents.json(event).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }

        awaitJob(fine, "COMPLETED");
        assertThat(SseClient.get(app.uri("/jobs/" + rejected)).status()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> app.bean(ProjectionState.class).skipped() > skippedBefore);
    }

    @Test
    void shouldReadOnlyCommittedTransactions() throws Exception {
        String aborted = "job-aborted-" + System.nanoTime();
        String committed = "job-committed-" + System.nanoTime();
        Instant t0 = Instant.parse("2025-04-01T09:00:00Z");
        try (KafkaProducer<String, byte[]> producer = producer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "status-test-" + System.nanoTime()))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record(aborted, TestEvents.json(TestEvents.accepted(aborted, t0))
                    .getBytes(StandardCharsets.UTF_8)));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(record(committed, TestEvents.json(TestEvents.accepted(committed, t0))
                    .getBytes(StandardCharsets.UTF_8)));
            producer.commitTransaction();
        }

        awaitJob(committed, "ACCEPTED");
        assertThat(SseClient.get(app.uri("/jobs/" + aborted)).status()).isEqualTo(404);
    }

    @Test
    void shouldReportTheRunningProjectionAsHealthy() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            SseClient.Reply reply = SseClient.get(app.uri("/health"));
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            JsonNode details = Json.MAPPER.readTree(reply.body()).at("/details/jobpipe-status/details");
            assertThat(details.get("projection").asText()).isEqualTo("running");
            assertThat(details.get("assignedPartitions").asInt()).isEqualTo(2);
        });
    }

    private static JsonNode awaitJob(String jobId, String state) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            SseClient.Reply reply = SseClient.get(app.uri("/jobs/" + jobId));
            return reply.status() == 200 ? Json.MAPPER.readTree(reply.body()) : null;
        }, job -> job != null && job.get("state").asText().equals(state));
    }

    private static ProducerRecord<String, byte[]> record(String jobId, byte[] value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.jobEvents.name(), jobId, value);
        record.headers().add("traceparent", TestEvents.TRACEPARENT.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static KafkaProducer<String, byte[]> producer(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.shared().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.putAll(extra);
        return new KafkaProducer<>(props);
    }
}
