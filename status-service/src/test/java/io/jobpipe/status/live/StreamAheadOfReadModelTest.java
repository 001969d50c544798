package io.jobpipe.status.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.status.SseClient;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.testing.KafkaFixture;
import io.jobpipe.testing.PostgresFixture;
import io.jobpipe.testing.TestNames;
import io.micronaut.context.env.Environment;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A job's SSE stream gets its events from the topic as they are written, while the projection cannot store them
 * (here: {@code job_events} locked against writes, as a slow or busy database would hold it back); it ends only
 * once the read model has the job's end, and sends each event once.
 */
class StreamAheadOfReadModelTest {
    private static final Instant T0 = Instant.parse("2025-10-01T10:00:00Z");
    private static Topics topics;
    private static StatusTestApp app;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start(TestInfo info) {
        topics = TestNames.topics(info);
        app = StatusTestApp.withKafka("ahead", topics.namespace(), Map.of());
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.shared().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    @AfterAll
    static void stop() {
        producer.close();
        app.close();
    }

    private static void send(List<JobEvent> events) throws Exception {
        for (JobEvent event : events) {
            producer.send(new ProducerRecord<>(topics.jobEvents.name(), event.jobId(),
                    TestEvents.json(event).getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    private static Connection database() throws Exception {
        Environment env = app.bean(Environment.class);
        return DriverManager.getConnection(env.getProperty("datasources.default.url", String.class).orElseThrow(),
                PostgresFixture.shared().username(), PostgresFixture.shared().password());
    }

    private static long storedEvents(Connection c, String jobId) throws Exception {
        try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM job_events WHERE job_id = ?")) {
            count.setString(1, jobId);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The topic reader starts from the end of the topic: wait until it reads, with a job of its own. */
    private static void awaitTopicReader() {
        TopicArrivals arrivals = app.bean(TopicArrivals.class);
        String probe = "ahead-probe-" + System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            send(List.of(TestEvents.successfulRun(probe, T0).get(0)));
            return arrivals.knows(probe);
        });
    }

    private static Connection lockedAgainstWrites() throws Exception {
        Connection lock = database();
        lock.setAutoCommit(false);
        try (Statement s = lock.createStatement()) {
            // Reads go on; the projection's insert waits for this transaction.
            s.execute("LOCK TABLE job_events IN SHARE MODE");
        }
        return lock;
    }

    @Test
    void shouldStreamEventsFromTheTopicWhileTheReadModelIsHeldBackAndEndOnceItCatchesUp() throws Exception {
        awaitTopicReader();

        String jobId = "ahead-" + System.nanoTime();
        List<JobEvent> run = TestEvents.successfulRun(jobId, T0);
        try (Connection lock = lockedAgainstWrites(); Connection look = database()) {
            send(run.subList(0, 3));
            try (SseClient sse = SseClient.open(app.uri("/jobs/" + jobId + "/events"), Map.of())) {
                assertThat(sse.status()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(20)).until(() -> sse.messages().size() == 3);

                send(run.subList(3, run.size()));
                await().atMost(Duration.ofSeconds(20)).until(() -> sse.messages().size() == run.size());
                assertThat(storedEvents(look, jobId)).isZero();
                assertThat(sse.ended()).as("only the read model says the job ended").isFalse();
                JsonNode last = Json.MAPPER.readTree(sse.messages().get(run.size() - 1).data());
                assertThat(last).isEqualTo(Json.MAPPER.readTree(TestEvents.json(run.get(run.size() - 1))));

                lock.rollback();
                await().atMost(Duration.ofSeconds(30)).until(sse::ended);
                assertThat(sse.ids()).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
                assertThat(storedEvents(look, jobId)).isEqualTo(run.size());
            }
        }
    }

    /** ARCHITECTURE guarantee 5 on the topic path: a reconnect with Last-Event-ID gets every later event once. */
    @Test
    void shouldResumeAfterLastEventIdFromTheTopicWhileTheReadModelIsHeldBack() throws Exception {
        awaitTopicReader();
        String jobId = "ahead-resume-" + System.nanoTime();
        List<JobEvent> run = TestEvents.successfulRun(jobId, T0);
        try (Connection lock = lockedAgainstWrites()) {
            send(run.subList(0, 4));
            try (SseClient first = SseClient.open(app.uri("/jobs/" + jobId + "/events"), Map.of())) {
                await().atMost(Duration.ofSeconds(20)).until(() -> first.messages().size() == 4);
            }
            // The first connection dropped after seq 4 but the client only processed up to 2.
            try (SseClient resumed = SseClient.open(app.uri("/jobs/" + jobId + "/events"), Map.of("Last-Event-ID", "2"))) {
                assertThat(resumed.status()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(20)).until(() -> resumed.messages().size() == 2);
                send(run.subList(4, run.size()));
                await().atMost(Duration.ofSeconds(20)).until(() -> resumed.messages().size() == run.size() - 2);

                lock.rollback();
                await().atMost(Duration.ofSeconds(30)).until(resumed::ended);
                assertThat(resumed.ids()).containsExactly("3", "4", "5", "6", "7", "8", "9", "10");
            }
        }
    }
}
