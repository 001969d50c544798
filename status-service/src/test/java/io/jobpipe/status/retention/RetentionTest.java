package io.jobpipe.status.retention;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.status.store.JobEventProjector;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Retention on the real read model: old finished jobs go in batches, with everything that hangs off them. */
class RetentionTest {
    private static final Instant OLD = Instant.parse("2025-01-01T00:00:00Z");
    private static StatusTestApp app;

    @BeforeAll
    static void start() {
        app = StatusTestApp.withoutKafka("retention", Map.of("jobpipe.status.retention.enabled", true,
                "jobpipe.status.retention.keep", "P30D", "jobpipe.status.retention.batch-size", 2,
                "jobpipe.status.retention.every", "1h"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static long count(String sql) throws Exception {
        DataSource dataSource = DelegatingDataSource.unwrapDataSource(app.bean(DataSource.class));
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(String sql) throws Exception {
        DataSource dataSource = DelegatingDataSource.unwrapDataSource(app.bean(DataSource.class));
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void shouldDeleteOldFinishedJobsInBatchesWithTheirStagesEventsFeedAndDeadLetters() throws Exception {
        List<JobEvent> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            events.addAll(TestEvents.successfulRun("ret-old-" + i, OLD.plusSeconds(60L * i)));
        }
        events.addAll(TestEvents.deadLetteredAtEnrich("ret-dead", OLD));
        events.addAll(TestEvents.successfulRun("ret-running", OLD).subList(0, 4));
        events.addAll(TestEvents.successfulRun("ret-recent", Instant.now().minus(Duration.ofDays(1))));
        TestEvents.projectAndWrite(app.bean(JobEventProjector.class), events);
        execute("INSERT INTO dead_letters (topic, partition, \"offset\", job_id, stage, headers)"
                + " VALUES ('jobpipe.stage.enrich.dlq', 0, 7, 'ret-dead', 'enrich', '{}')");
        assertThat(count("SELECT count(DISTINCT feed_position) FROM job_events")).isEqualTo(64);

        long deleted = app.bean(RetentionSweeper.class).sweep();

        assertThat(deleted).as("four completed and one dead-lettered, two at a time").isEqualTo(5);
        assertThat(count("SELECT count(*) FROM jobs")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM jobs WHERE job_id IN ('ret-running', 'ret-recent')")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM job_stages WHERE job_id LIKE 'ret-old-%' OR job_id = 'ret-dead'")).isZero();
        assertThat(count("SELECT count(*) FROM job_events WHERE job_id LIKE 'ret-old-%' OR job_id = 'ret-dead'")).isZero();
        assertThat(count("SELECT count(*) FROM job_events")).as("the running and the recent job's").isEqualTo(14);
        assertThat(count("SELECT count(DISTINCT job_id) FROM job_stages")).as("the running and the recent job's")
                .isEqualTo(2);
        assertThat(count("SELECT count(*) FROM dead_letters")).isZero();
        assertThat(app.bean(RetentionSweeper.class).sweep()).as("nothing left to delete").isZero();
    }
}
