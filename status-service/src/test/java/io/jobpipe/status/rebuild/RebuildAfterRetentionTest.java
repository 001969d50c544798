package io.jobpipe.status.rebuild;

import io.jobpipe.core.kafka.Topics;
import io.jobpipe.status.SseClient;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.testing.TestNames;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A rebuild after the topic's retention deleted its oldest events would drop those events' jobs from the read model:
 * it is refused, and nothing is changed, unless the operator asks for a partial rebuild.
 */
class RebuildAfterRetentionTest {
    private static final Instant T0 = Instant.parse("2025-10-01T10:00:00Z");
    private static Topics topics;
    private static StatusTestApp app;

    @BeforeAll
    static void start(TestInfo info) {
        topics = TestNames.topics(info);
        app = StatusTestApp.withKafka("rebuild-retention", topics.namespace(), Map.of());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static long storedEvents() throws Exception {
        DataSource dataSource = DelegatingDataSource.unwrapDataSource(app.bean(DataSource.class));
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM job_events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void shouldRefuseToRebuildFromAHistoryWhoseOldestEventsAreGoneUnlessAskedForAPartialRebuild() throws Exception {
        Map<TopicPartition, Long> oldEnds = TopicHistory.send(topics, TestEvents.successfulRun("old-job", T0));
        TopicHistory.send(topics, TestEvents.successfulRun("new-job", T0.plusSeconds(60)));
        for (String jobId : List.of("old-job", "new-job")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> SseClient.get(app.uri("/jobs/" + jobId)).status() == 200);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> storedEvents() == 20);
        // What retention does to a topic: its oldest records are deleted, here exactly the old job's.
        TopicHistory.deleteBefore(oldEnds);
        ReadModelRebuild rebuild = app.bean(ReadModelRebuild.class);
        List<String> progress = new CopyOnWriteArrayList<>();

        assertThatThrownBy(() -> rebuild.rebuild(progress::add))
                .isInstanceOf(ReadModelRebuild.HistoryGone.class)
                .hasMessageContaining(topics.jobEvents.name() + " no longer holds its whole history: partition ")
                .hasMessageContaining("jobs the read model keeps began before that (old-job)")
                .hasMessageContaining("Nothing was changed")
                .hasMessageContaining("--allow-partial");
        assertThat(storedEvents()).as("the read model is untouched").isEqualTo(20);
        assertThat(SseClient.get(app.uri("/jobs/old-job")).status()).isEqualTo(200);

        ReadModelRebuild.Report report = rebuild.rebuild(progress::add, true);

        assertThat(progress).anyMatch(line -> line.startsWith("WARNING ") && line.contains("jobs whose events are gone"));
        assertThat(report.applied()).as("the new job's events only").isEqualTo(10);
        assertThat(SseClient.get(app.uri("/jobs/old-job")).status()).isEqualTo(404);
        assertThat(SseClient.get(app.uri("/jobs/new-job")).body()).contains("\"state\":\"COMPLETED\"");
    }
}
