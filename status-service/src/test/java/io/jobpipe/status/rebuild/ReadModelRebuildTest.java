package io.jobpipe.status.rebuild;

import io.jobpipe.status.store.JobEventProjector;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.status.SseClient;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.testing.KafkaFixture;
import io.jobpipe.testing.TestNames;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The read model rebuilt from {@code jobpipe.job.events}, beside the running live projection, comes out identical
 * to what the live projection made (the events' feed positions are renumbered, each event still has one), and the
 * live projection goes on afterwards.
 */
class ReadModelRebuildTest {
    private static final Instant T0 = Instant.parse("2025-10-01T10:00:00Z");
    private static Topics topics;
    private static StatusTestApp app;

    @BeforeAll
    static void start(TestInfo info) {
        topics = TestNames.topics(info);
        app = StatusTestApp.withKafka("rebuild", topics.namespace(), Map.of());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** A plain producer of raw job event records (also for the other rebuild tests). */
    static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.shared().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    private static void send(KafkaProducer<String, byte[]> producer, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topics.jobEvents.name(), key, value)).get();
    }

    private static void send(KafkaProducer<String, byte[]> producer, List<JobEvent> events) throws Exception {
        for (JobEvent event : events) {
            send(producer, event.jobId(), TestEvents.json(event).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static long distinctFeedPositions() throws Exception {
        DataSource dataSource = DelegatingDataSource.unwrapDataSource(app.bean(DataSource.class));
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(DISTINCT feed_position) FROM job_events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every row of the read model's tables, as text, in a stable order. */
    private static List<String> dump() throws Exception {
        DataSource dataSource = DelegatingDataSource.unwrapDataSource(app.bean(DataSource.class));
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String query : List.of("SELECT * FROM jobs ORDER BY job_id",
                    "SELECT * FROM job_stages ORDER BY job_id, stage",
                    // Not feed_position: the replay numbers the feed in its own order (one partition after another).
                    "SELECT job_id, seq, event_id, type, occurred_at, body FROM job_events ORDER BY job_id, seq")) {
                try (ResultSet rs = s.executeQuery(query)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder(query.substring(query.indexOf("FROM") + 5, query.indexOf(" ORDER")));
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            row.append(" | ").append(meta.getColumnName(i)).append('=').append(rs.getString(i));
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        return rows;
    }

    @Test
    void shouldRebuildTablesIdenticalToTheLiveProjectionsBesideIt() throws Exception {
        List<String> jobs = List.of("rb-1", "rb-2", "rb-3");
        try (KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, TestEvents.successfulRun("rb-1", T0));
            send(producer, TestEvents.deadLetteredAtEnrich("rb-2", T0.plusSeconds(30)));
            List<JobEvent> third = TestEvents.successfulRun("rb-3", T0.plusSeconds(60));
            send(producer, third.subList(0, 6));
            send(producer, third.subList(3, 4));
            send(producer, "rb-x", "not json".getBytes(StandardCharsets.UTF_8));
        }
        for (String jobId : jobs) {
            await().atMost(Duration.ofSeconds(30)).until(() -> SseClient.get(app.uri("/jobs/" + jobId)).status() == 200);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> dump().stream().filter(r -> r.startsWith("job_events"))
                .count() == 26);
        // rb-3 still runs: the live projection writes its rows once its progress delay has passed on a quiet topic.
        await().atMost(Duration.ofSeconds(30)).until(() -> app.bean(JobEventProjector.class).unwrittenJobs() == 0
                && dump().stream().filter(r -> r.startsWith("jobs ")).count() == 3);
        List<String> live = dump();

        List<String> progress = new CopyOnWriteArrayList<>();
        ReadModelRebuild.Report report = app.bean(ReadModelRebuild.class).rebuild(progress::add);

        assertThat(dump()).containsExactlyElementsOf(live);
        assertThat(distinctFeedPositions()).as("a feed position for each of the 26 events").isEqualTo(26);
        assertThat(report.records()).isEqualTo(28);
        assertThat(report.applied()).isEqualTo(26);
        assertThat(report.repeated()).as("the event sent twice").isEqualTo(1);
        assertThat(report.skipped()).as("the record that is not JSON").isEqualTo(1);
        assertThat(progress).anyMatch(line -> line.contains(": 28 offsets in 2 partitions"));

        try (KafkaProducer<String, byte[]> producer = producer()) {
            List<JobEvent> third = TestEvents.successfulRun("rb-3", T0.plusSeconds(60));
            send(producer, third.subList(6, third.size()));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> SseClient.get(app.uri("/jobs/rb-3")).body()
                .contains("\"state\":\"COMPLETED\""));
    }
}
