package io.jobpipe.status.store;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.status.config.ProjectionProperties;
import io.jobpipe.status.projection.JobView;
import io.jobpipe.status.projection.StageView;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.jobpipe.status.TestEvents.incoming;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The projector writes a job's rows late (its progress delay), on a real PostgreSQL: the rows lag while the job runs,
 * every read of one job stays exact by folding the stored events on, a job that comes to rest is written at once,
 * and a projector that starts afresh (a restart, a rebalance) picks a job up from its rows and events.
 */
class DeferredRowsTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static StatusTestApp app;
    private static JobReadModel readModel;

    @BeforeAll
    static void start() {
        app = StatusTestApp.withoutKafka("deferred-rows", Map.of());
        readModel = app.bean(JobReadModel.class);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void shouldLeaveARunningJobsRowsToItsDelayWhileEveryReadOfTheJobStaysExact() throws SQLException {
        JobEventProjector projector = projector(Duration.ofHours(1));
        String jobId = "deferred-" + System.nanoTime();
        List<JobEvent> run = TestEvents.successfulRun(jobId, T0);

        projector.project(incoming(run.subList(0, 4)));

        assertThat(lastSeqOfRow(jobId)).as("a new, running job: no row yet").isEmpty();
        JobView job = readModel.job(jobId).orElseThrow();
        assertThat(job.lastSeq()).isEqualTo(4);
        assertThat(job.currentStage()).isEqualTo("normalize");
        assertThat(job.stages()).extracting(stage -> stage.status().name())
                .containsExactly("SUCCEEDED", "RUNNING", "PENDING");
        assertThat(readModel.jobRow(jobId).orElseThrow().state()).isEqualTo("RUNNING");
        assertThat(readModel.tailAfter(jobId, 0, 10).events()).hasSize(4);
        assertThat(projector.writeDueProgress()).as("an hour has not passed").isZero();

        projector.project(incoming(run.subList(4, 7)));
        JobView beforeWrite = readModel.job(jobId).orElseThrow();
        assertThat(beforeWrite.lastSeq()).isEqualTo(7);
        assertThat(lastSeqOfRow(jobId)).isEmpty();

        assertThat(projector.writeAllProgress(true)).isEqualTo(1);
        assertThat(lastSeqOfRow(jobId)).contains(7L);
        assertThat(readModel.job(jobId)).as("the same job, now from its rows alone").contains(beforeWrite);

        projector.project(incoming(run.subList(7, 9)));
        assertThat(lastSeqOfRow(jobId)).contains(7L);
        projector.project(incoming(run.subList(9, 10)));
        assertThat(lastSeqOfRow(jobId)).as("finished: written at once").contains(10L);
        assertThat(projector.unwrittenJobs()).isZero();
        assertThat(readModel.job(jobId).orElseThrow().state().name()).isEqualTo("COMPLETED");
    }

    @Test
    void shouldWriteProgressThatHasWaitedItsDelayWithTheNextBatchOrWhenTheTopicIsQuiet() throws Exception {
        JobEventProjector projector = projector(Duration.ofMillis(200));
        String first = "deferred-first-" + System.nanoTime();
        String second = "deferred-second-" + System.nanoTime();

        projector.project(incoming(TestEvents.successfulRun(first, T0).subList(0, 4)));
        Thread.sleep(300);
        projector.project(incoming(TestEvents.successfulRun(second, T0).subList(0, 2)));

        assertThat(lastSeqOfRow(first)).as("taken along by the second job's batch").contains(4L);
        assertThat(lastSeqOfRow(second)).isEmpty();
        assertThat(projector.writeDueProgress()).as("too early").isZero();
        Thread.sleep(300);
        assertThat(projector.writeDueProgress()).isEqualTo(1);
        assertThat(lastSeqOfRow(second)).contains(2L);
    }

    @Test
    void shouldPickUpAJobFromItsRowsAndStoredEventsWhenAProjectorStartsAfresh() throws SQLException {
        String jobId = "deferred-restart-" + System.nanoTime();
        String twin = "deferred-twin-" + System.nanoTime();
        List<JobEvent> run = TestEvents.successfulRun(jobId, T0);
        JobEventProjector crashed = projector(Duration.ofHours(1));
        crashed.project(incoming(run.subList(0, 3)));
        crashed.writeAllProgress(true);
        crashed.project(incoming(run.subList(3, 7)));
        assertThat(lastSeqOfRow(jobId)).contains(3L);

        // A new process: nothing in memory; seq 4..7 are stored but not in the row.
        JobEventProjector restarted = projector(Duration.ofHours(1));
        restarted.project(incoming(run.subList(7, 10)));
        JobEventProjector straight = projector(Duration.ZERO);
        straight.project(incoming(TestEvents.successfulRun(twin, T0)));

        assertThat(lastSeqOfRow(jobId)).contains(10L);
        JobView picked = readModel.job(jobId).orElseThrow();
        JobView reference = readModel.job(twin).orElseThrow();
        assertThat(picked.stages()).as("as if one projector had seen every event").isEqualTo(reference.stages());
        assertThat(picked.state()).isEqualTo(reference.state());
        assertThat(picked.updatedAt()).isEqualTo(reference.updatedAt());
    }

    @Test
    void shouldWriteTheRowsThatAStoppedProjectorLeftBehindItsEventsWhenTheNextOneStarts() throws SQLException {
        String running = "deferred-left-" + System.nanoTime();
        String fresh = "deferred-rowless-" + System.nanoTime();
        JobEventProjector crashed = projector(Duration.ofHours(1));
        crashed.project(incoming(TestEvents.successfulRun(running, T0).subList(0, 3)));
        crashed.writeAllProgress(true);
        crashed.project(incoming(TestEvents.successfulRun(running, T0).subList(3, 7)));
        crashed.project(incoming(TestEvents.successfulRun(fresh, T0).subList(0, 2)));
        JobView runningNow = readModel.job(running).orElseThrow();
        JobView freshNow = readModel.job(fresh).orElseThrow();

        JobEventProjector restarted = projector(Duration.ofHours(1));
        assertThat(restarted.writeLaggingRows(1_000)).isGreaterThanOrEqualTo(2);

        assertThat(lastSeqOfRow(running)).contains(7L);
        assertThat(lastSeqOfRow(fresh)).contains(2L);
        assertThat(readModel.job(running)).contains(runningNow);
        assertThat(readModel.job(fresh)).contains(freshNow);
        assertThat(restarted.unwrittenJobs()).isZero();
    }

    @Test
    void shouldLeaveARowThatAnotherProjectorWroteMeanwhileAndGoOnFromIt() throws SQLException {
        String jobId = "deferred-moved-" + System.nanoTime();
        List<JobEvent> run = TestEvents.successfulRun(jobId, T0);
        JobEventProjector before = projector(Duration.ofHours(1));
        before.project(incoming(run.subList(0, 3)));
        // The partition moved: the new owner folds seq 1..3 from the table and writes the row at once.
        JobEventProjector after = projector(Duration.ZERO);
        after.project(incoming(run.subList(3, 5)));
        assertThat(lastSeqOfRow(jobId)).contains(5L);

        assertThat(before.writeAllProgress(true)).as("its copy is older than the row: not written").isZero();
        assertThat(lastSeqOfRow(jobId)).contains(5L);
        assertThat(before.unwrittenJobs()).isZero();

        // It gets the partition back: it reads the row and goes on from there.
        before.project(incoming(run.subList(5, 10)));
        assertThat(lastSeqOfRow(jobId)).contains(10L);
        assertThat(readModel.job(jobId).orElseThrow().stages()).extracting(stage -> stage.status().name())
                .containsOnly("SUCCEEDED");
    }

    @Test
    void shouldStoreStageTextWithTabsNewlinesAndBackslashesAsItCame() {
        String jobId = "deferred-text-" + System.nanoTime();
        String awkward = "tab\there, back\\slash, line\nbreak, return\r, a literal \\N, and \\.";
        List<JobEvent> run = new ArrayList<>(TestEvents.successfulRun(jobId, T0));
        JobEvent.StageCompleted validated = (JobEvent.StageCompleted) run.get(2);
        run.set(2, new JobEvent.StageCompleted(validated.eventId(), jobId, validated.occurredAt(), validated.seq(),
                validated.stage(), validated.attempt(), validated.startedAt(), validated.durationMs(), awkward,
                JsonNodeFactory.instance.objectNode().put("text", awkward)).withLog(awkward));

        // Finished in one batch: its stage rows go in with COPY.
        projector(Duration.ofHours(1)).project(incoming(run));

        StageView stage = readModel.job(jobId).orElseThrow().stage("validate").orElseThrow();
        assertThat(stage.summary()).isEqualTo(awkward);
        assertThat(stage.output().path("text").asText()).isEqualTo(awkward);
        assertThat(stage.log()).isEqualTo(awkward);
        assertThat(stage.error()).isNull();
    }

    private static JobEventProjector projector(Duration progressDelay) {
        ProjectionProperties c = app.bean(ProjectionProperties.class);
        return new JobEventProjector(app.bean(TransactionOperations.class), new ProjectionProperties(c.enabled(),
                c.maxPollRecords(), c.pollTimeout(), c.retryBackoff(), c.maxRetryBackoff(), c.cacheSize(),
                progressDelay));
    }

    /** The job row's last seq, as the table holds it. */
    private static Optional<Long> lastSeqOfRow(String jobId) throws SQLException {
        String url = app.bean(io.micronaut.context.env.Environment.class)
                .getProperty("datasources.default.url", String.class).orElseThrow();
        try (Connection connection = DriverManager.getConnection(url,
                io.jobpipe.testing.PostgresFixture.shared().username(),
                io.jobpipe.testing.PostgresFixture.shared().password());
             PreparedStatement select = connection.prepareStatement("SELECT last_seq FROM jobs WHERE job_id = ?")) {
            select.setString(1, jobId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty();
            }
        }
    }
}
