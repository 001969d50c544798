package io.jobpipe.status.store;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.status.SseClient;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.status.config.ProjectionProperties;
import io.jobpipe.status.projection.JobView;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.jobpipe.status.TestEvents.incoming;
import static org.assertj.core.api.Assertions.assertThat;

/** The projector against a real PostgreSQL: idempotence, seq rules, and the job document it produces. */
class JobEventProjectorTest {
    private static StatusTestApp app;
    private static JobEventProjector projector;
    private static JobReadModel readModel;

    @BeforeAll
    static void start() {
        app = StatusTestApp.withoutKafka("projector", Map.of());
        projector = app.bean(JobEventProjector.class);
        readModel = app.bean(JobReadModel.class);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void shouldReadTheTailsOfManyJobsInOneStatementEachAfterItsOwnSeq() {
        String first = "job-tails-a-" + System.nanoTime();
        String second = "job-tails-b-" + System.nanoTime();
        String missing = "job-tails-none-" + System.nanoTime();
        projector.project(incoming(TestEvents.successfulRun(first, Instant.parse("2025-01-01T10:00:00Z"))));
        projector.project(incoming(TestEvents.successfulRun(second, Instant.parse("2025-01-01T11:00:00Z"))));
        Map<String, Long> after = new java.util.LinkedHashMap<>();
        after.put(first, 8L);
        after.put(second, 0L);
        after.put(missing, 0L);

        Map<String, JobReadModel.TailPage> pages = readModel.tailsAfter(after, 3);

        assertThat(pages.get(first).events()).extracting(e -> e.id().seq()).containsExactly(9L, 10L);
        assertThat(pages.get(first).lastSeq()).isEqualTo(10L);
        assertThat(pages.get(first).state()).isEqualTo("COMPLETED");
        assertThat(pages.get(second).events()).extracting(e -> e.id().seq()).containsExactly(1L, 2L, 3L);
        assertThat(pages.get(second).events()).allSatisfy(e -> assertThat(e.body()).contains(second));
        assertThat(pages.get(missing).events()).isEmpty();
        assertThat(pages.get(missing).lastSeq()).isNull();
        assertThat(pages.get(missing).state()).isNull();
        assertThat(readModel.tailAfter(first, 8L, 3)).isEqualTo(pages.get(first));
    }

    @Test
    void shouldChangeNothingWhenTheSameBatchIsProjectedTwice(TestInfo info) throws SQLException {
        String jobId = "job-twice-" + System.nanoTime();
        List<IncomingEvent> batch = incoming(TestEvents.successfulRun(jobId, Instant.parse("2025-01-01T10:00:00Z")));

        BatchResult first = projector.project(batch);
        List<String> rowsAfterFirst = dump(jobId);
        BatchResult second = projector.project(batch);

        assertThat(first.applied()).isEqualTo(10);
        assertThat(first.duplicates()).isZero();
        assertThat(second.applied()).isZero();
        assertThat(second.duplicates()).isEqualTo(10);
        assertThat(second.jobIds()).isEmpty();
        assertThat(dump(jobId)).isEqualTo(rowsAfterFirst);
    }

    @Test
    void shouldProjectSeveralJobsInOneBatchAndCountASecondCopyOfAnEventAsARepeat() {
        String first = "job-many-a-" + System.nanoTime();
        String second = "job-many-b-" + System.nanoTime();
        List<JobEvent> runA = TestEvents.successfulRun(first, Instant.parse("2025-01-01T10:00:00Z"));
        List<JobEvent> runB = TestEvents.successfulRun(second, Instant.parse("2025-01-01T11:00:00Z"));
        List<JobEvent> interleaved = new ArrayList<>();
        for (int i = 0; i < runA.size(); i++) {
            interleaved.add(runA.get(i));
            interleaved.add(runB.get(i));
        }
        interleaved.add(runA.get(3));

        BatchResult result = projector.project(incoming(interleaved));

        assertThat(result.applied()).isEqualTo(runA.size() + runB.size());
        assertThat(result.duplicates()).isEqualTo(1);
        assertThat(result.jobIds()).containsExactlyInAnyOrder(first, second);
        assertThat(readModel.job(first).orElseThrow().lastSeq()).isEqualTo(runA.size());
        assertThat(readModel.job(second).orElseThrow().lastSeq()).isEqualTo(runB.size());
        assertThat(readModel.eventsAfter(second, 0, 100)).hasSize(runB.size());
    }

    @Test
    void shouldApplyOnlyTheNewEventsOfAPartlyRedeliveredBatch() {
        String jobId = "job-partly-" + System.nanoTime();
        List<JobEvent> run = TestEvents.successfulRun(jobId, Instant.parse("2025-01-01T10:00:00Z"));
        projector.project(incoming(run.subList(0, 4)));

        BatchResult redelivered = projector.project(incoming(run.subList(2, 6)));

        assertThat(redelivered.duplicates()).isEqualTo(2);
        assertThat(redelivered.applied()).isEqualTo(2);
        JobView job = readModel.job(jobId).orElseThrow();
        assertThat(job.lastSeq()).isEqualTo(6);
        assertThat(job.currentAttempt()).isEqualTo(2);
        assertThat(readModel.eventsAfter(jobId, 0, 100)).extracting(EventEntity::seq)
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void shouldStoreEachEventAsReceivedWhateverItsTextHoldsThatCopyMustEscape() throws Exception {
        String jobId = "job-escapes-" + System.nanoTime();
        Instant t0 = Instant.parse("2025-01-01T10:00:00.123456Z");
        JobEvent accepted = TestEvents.accepted(jobId, t0);
        // A summary and an output with a backslash, a quote, a tab, a newline and a return inside their strings (JSON
        // escapes: a backslash in the text), a character beyond ASCII; the whole sent pretty-printed, with a tab and
        // CR LF between its tokens, as a producer may send it.
        JobEvent.StageCompleted completed = new JobEvent.StageCompleted(TestEvents.eid(jobId, 2), jobId, t0.plusSeconds(1), 2,
                "validate", 1, t0, 900, "C:\\in \"quoted\"\tand\nmore\r ünïcode",
                JsonNodeFactory.instance.objectNode().put("path", "a\\b\tc\nd"));
        String pretty = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(completed)
                .replace("\n", "\r\n").replace("  ", "\t");
        assertThat(pretty).contains("\t", "\r\n", "\\\\", "\\t", "\\n", "\\r", "ü");

        BatchResult result = projector.project(List.of(incoming(accepted),
                new IncomingEvent(completed, pretty, "trace\\with\ttab", "test")));

        assertThat(result.applied()).isEqualTo(2);
        try (Connection c = connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT seq, occurred_at, body::text, trace_id FROM job_events WHERE job_id = '"
                     + jobId + "' ORDER BY seq")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject(2, java.time.OffsetDateTime.class).toInstant()).isEqualTo(t0.plusSeconds(1));
            assertThat(Json.MAPPER.readTree(rs.getString(3))).isEqualTo(Json.MAPPER.readTree(pretty));
            assertThat(Json.MAPPER.readValue(rs.getString(3), JobEvent.class)).isEqualTo(completed);
            assertThat(rs.getString(4)).isEqualTo("trace\\with\ttab");
            assertThat(rs.next()).isFalse();
        }
        // The stage's row, written by COPY too.
        projector.writeAllProgress(true);
        try (Connection c = connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT summary, output::text FROM job_stages WHERE job_id = '" + jobId
                     + "' AND stage = 'validate'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("C:\\in \"quoted\"\tand\nmore\r ünïcode");
            assertThat(Json.MAPPER.readTree(rs.getString(2))).isEqualTo(completed.output());
        }
    }

    @Test
    void shouldStoreABatchOfManyCopyMessagesAndCountAllOfItAsRepeatsWhenItComesAgain() throws Exception {
        // 40 runs of 10 events, one stage output of 300 KiB: about a MiB of COPY text, in many messages, one row
        // larger than a message.
        String prefix = "job-big-" + System.nanoTime() + "-";
        List<JobEvent> events = new ArrayList<>();
        for (int n = 0; n < 40; n++) {
            events.addAll(TestEvents.successfulRun(prefix + n, Instant.parse("2025-01-01T10:00:00Z").plusSeconds(n)));
        }
        String big = "x\t".repeat(150 * 1024);
        int bigAt = events.size() - 2;
        JobEvent.StageCompleted last = (JobEvent.StageCompleted) events.get(bigAt);
        events.set(bigAt, new JobEvent.StageCompleted(last.eventId(), last.jobId(), last.occurredAt(), last.seq(),
                last.stage(), last.attempt(), last.startedAt(), last.durationMs(), "big output",
                JsonNodeFactory.instance.objectNode().put("text", big)));

        BatchResult first = projector.project(incoming(events));
        BatchResult again = projector.project(incoming(events));

        assertThat(first.applied()).isEqualTo(400);
        assertThat(again.applied()).isZero();
        assertThat(again.duplicates()).isEqualTo(400);
        try (Connection c = connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), sum(length(body::text)) FROM job_events WHERE job_id LIKE '"
                     + prefix + "%'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(400);
            assertThat(rs.getLong(2)).isGreaterThan(big.length());
        }
        assertThat(readModel.job(prefix + 39).orElseThrow().stages().get(2).output().get("text").asText())
                .isEqualTo(big);
    }

    @Test
    void shouldStillProjectEventsAfterASeqGap() {
        String jobId = "job-gap-" + System.nanoTime();
        List<JobEvent> run = TestEvents.successfulRun(jobId, Instant.parse("2025-01-01T10:00:00Z"));
        List<JobEvent> withGap = new ArrayList<>(run.subList(0, 3));
        withGap.addAll(run.subList(5, 7));

        BatchResult result = projector.project(incoming(withGap));

        assertThat(result.gaps()).isEqualTo(1);
        JobView job = readModel.job(jobId).orElseThrow();
        assertThat(job.lastSeq()).isEqualTo(7);
        assertThat(job.stage("normalize").orElseThrow().status().name()).isEqualTo("SUCCEEDED");
    }

    @Test
    void shouldLogAboutAnEventWithItsJobStageAttemptAndTraceAndTheJobsEndAtInfo() {
        String jobId = "job-logged-" + System.nanoTime();
        List<JobEvent> run = TestEvents.successfulRun(jobId, Instant.parse("2025-01-01T10:00:00Z"));
        Logger projectorLog = (Logger) LoggerFactory.getLogger(JobEventProjector.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        projectorLog.addAppender(lines);
        try {
            projector.project(incoming(run.subList(0, 3)));
            projector.project(incoming(run.subList(4, 10)));
        } finally {
            projectorLog.detachAppender(lines);
        }

        ILoggingEvent gap = lines.list.stream().filter(e -> e.getFormattedMessage().startsWith("SEQ GAP"))
                .findFirst().orElseThrow();
        assertThat(gap.getMDCPropertyMap()).containsEntry("jobId", jobId).containsEntry("stage", "normalize")
                .containsEntry("attempt", "1").containsEntry("traceId", TestEvents.TRACE_ID);
        ILoggingEvent end = lines.list.stream().filter(e -> e.getFormattedMessage().startsWith("job COMPLETED"))
                .findFirst().orElseThrow();
        assertThat(end.getLevel().toString()).isEqualTo("INFO");
        assertThat(end.getMDCPropertyMap()).containsEntry("jobId", jobId).containsEntry("traceId", TestEvents.TRACE_ID);
        assertThat(MDC.getCopyOfContextMap()).as("nothing left for the next batch").isNullOrEmpty();
    }

    @Test
    void shouldServeTheWholeJobDocumentOfAFinishedRun() throws Exception {
        String jobId = "job-doc-" + System.nanoTime();
        Instant t0 = Instant.parse("2025-01-01T10:00:00Z");
        projector.project(incoming(TestEvents.successfulRun(jobId, t0)));

        SseClient.Reply reply = SseClient.get(app.uri("/jobs/" + jobId));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonNode doc = Json.MAPPER.readTree(reply.body());
        JsonNode expected = Json.MAPPER.readTree("""
                {
                  "jobId": "%1$s", "state": "COMPLETED", "connection": "github", "eventType": "push",
                  "deliveryId": "delivery-%1$s", "requestId": "req-%1$s", "pipeline": "default",
                  "traceId": "%2$s", "currentStage": null, "currentAttempt": null,
                  "createdAt": "2025-01-01T10:00:00Z", "updatedAt": "2025-01-01T10:00:09Z",
                  "finishedAt": "2025-01-01T10:00:09Z", "error": null, "eventsUrl": "/jobs/%1$s/events",
                  "stages": [
                    {"name": "validate", "position": 0, "status": "SUCCEEDED", "attempts": 1,
                     "startedAt": "2025-01-01T10:00:01Z", "endedAt": "2025-01-01T10:00:02Z", "durationMs": 900,
                     "summary": "payload valid", "output": {"valid": true}, "error": null, "log": null,
                     "logAttempt": null},
                    {"name": "normalize", "position": 1, "status": "SUCCEEDED", "attempts": 2,
                     "startedAt": "2025-01-01T10:00:03Z", "endedAt": "2025-01-01T10:00:06Z", "durationMs": 700,
                     "summary": "github push", "output": {"source": "github"}, "error": null, "log": null,
                     "logAttempt": null},
                    {"name": "enrich", "position": 2, "status": "SUCCEEDED", "attempts": 1,
                     "startedAt": "2025-01-01T10:00:07Z", "endedAt": "2025-01-01T10:00:08Z", "durationMs": 600,
                     "summary": "enriched", "output": null, "error": null, "log": null,
                     "logAttempt": null}
                  ],
                  "replays": [], "refusedReplays": [], "cancellation": null,
                  "attempt": {"stage": "enrich", "attempt": 1, "attemptInRound": 1, "allowed": 5, "deadline": null,
                              "nextAttemptAt": null,
                              "lastError": {"stage": "normalize", "attempt": 1, "errorClass": "Timeout",
                                            "message": "agent did not answer", "retryable": true,
                                            "at": "2025-01-01T10:00:04Z"}},
                  "held": null,
                  "progress": null,
                  "artifacts": []
                }""".formatted(jobId, TestEvents.TRACE_ID));
        assertThat(doc).isEqualTo(expected);
    }

    @Test
    void shouldStoreAHeldJobAndShowWhereAndWhyItWaitsUntilItsStageIsDispatched() throws Exception {
        String jobId = "job-held-" + System.nanoTime();
        Instant t0 = Instant.parse("2025-01-01T10:00:00Z");
        List<JobEvent> events = TestEvents.heldAtNormalize(jobId, t0);
        projector.project(incoming(events.subList(0, 7)));

        JsonNode held = Json.MAPPER.readTree(SseClient.get(app.uri("/jobs/" + jobId)).body());

        assertThat(held.get("state").asText()).isEqualTo("HELD");
        assertThat(held.get("currentStage").asText()).isEqualTo("normalize");
        assertThat(held.get("stages").findValuesAsText("status")).containsExactly("SUCCEEDED", "HELD", "PENDING");
        assertThat(held.get("held")).isEqualTo(Json.MAPPER.readTree("""
                {"stage": "normalize", "breaker": "default/normalize", "reason": "12 of the last 20 attempts failed",
                 "since": "2025-01-01T10:00:05Z"}"""));
        assertThat(held.get("attempt").get("nextAttemptAt").isNull()).isTrue();
        assertThat(readModel.eventsAfter(jobId, 5, 10)).extracting(EventEntity::type)
                .containsExactly("JobHeld", "JobReleased");

        projector.project(incoming(events.subList(7, 8)));
        JsonNode running = Json.MAPPER.readTree(SseClient.get(app.uri("/jobs/" + jobId)).body());

        assertThat(running.get("state").asText()).isEqualTo("RUNNING");
        assertThat(running.get("held").isNull()).isTrue();
        assertThat(running.get("stages").findValuesAsText("status")).containsExactly("SUCCEEDED", "RUNNING", "PENDING");
        assertThat(running.get("attempt").get("attempt").asInt()).isEqualTo(2);
    }

    @Test
    void shouldListStagesNotYetReachedAsPending() throws Exception {
        String jobId = "job-pending-" + System.nanoTime();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        projector.project(incoming(TestEvents.successfulRun(jobId, t0).subList(0, 2)));

        JsonNode doc = Json.MAPPER.readTree(SseClient.get(app.uri("/jobs/" + jobId)).body());

        assertThat(doc.get("state").asText()).isEqualTo("RUNNING");
        assertThat(doc.get("currentStage").asText()).isEqualTo("validate");
        assertThat(doc.get("stages").findValuesAsText("status")).containsExactly("RUNNING", "PENDING", "PENDING");
        assertThat(doc.get("stages").findValuesAsText("name")).containsExactly("validate", "normalize", "enrich");
    }

    @Test
    void shouldProjectFromTheRowsWhenAnotherProjectorWroteAJobSinceThisOneKeptItsCopy() throws SQLException {
        // A second replica: its own projector, own copies of jobs, same database (as after a rebalance and back).
        JobEventProjector other = new JobEventProjector(app.bean(TransactionOperations.class),
                app.bean(ProjectionProperties.class));
        Instant t0 = Instant.parse("2025-01-01T10:00:00Z");
        String jobId = "job-moved-" + System.nanoTime();
        String twin = "job-unmoved-" + System.nanoTime();
        List<IncomingEvent> run = incoming(TestEvents.successfulRun(jobId, t0));
        List<String> lines = projectorLines(() -> {
            projector.project(run.subList(0, 3));
            other.project(run.subList(3, 7));
            // This projector's copy says seq 3; the rows say 7. Written from the copy, normalize's run would be lost.
            projector.project(run.subList(7, 10));
        });
        projector.project(incoming(TestEvents.successfulRun(twin, t0)));

        assertThat(lines).noneMatch(line -> line.startsWith("SEQ GAP"));
        assertThat(dump(jobId)).as("the same rows as one projector makes of the whole run")
                .isEqualTo(dump(twin).stream().map(row -> row.replace(twin, jobId)).toList());
    }

    @Test
    void shouldProjectABatchAgainFromTheRowsWhenAJobsRowsChangedUnderTheProjectorsCopy() {
        Instant t0 = Instant.parse("2025-01-01T10:00:00Z");
        String jobId = "job-deleted-" + System.nanoTime();
        List<IncomingEvent> run = incoming(TestEvents.successfulRun(jobId, t0));
        projector.project(run.subList(0, 9));
        projector.writeAllProgress(true);

        // As retention does: the copy still continues into seq 10, but the rows it was made from are gone.
        List<String> lines = projectorLines(() -> {
            execute("DELETE FROM job_events WHERE job_id = '" + jobId + "'",
                    "DELETE FROM job_stages WHERE job_id = '" + jobId + "'",
                    "DELETE FROM jobs WHERE job_id = '" + jobId + "'");
            projector.project(run.subList(9, 10));
        });

        assertThat(lines).anyMatch(line -> line.startsWith("projecting a batch again from the rows: 1 of 1 job rows"));
        JobView job = readModel.job(jobId).orElseThrow();
        assertThat(job.lastSeq()).isEqualTo(10);
        assertThat(job.state().name()).isEqualTo("COMPLETED");
        assertThat(job.stages()).as("nothing of the deleted rows comes back from the copy").isEmpty();
    }

    /** What the projector logs while {@code action} runs. */
    private static List<String> projectorLines(Runnable action) {
        Logger projectorLog = (Logger) LoggerFactory.getLogger(JobEventProjector.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        projectorLog.addAppender(lines);
        try {
            action.run();
        } finally {
            projectorLog.detachAppender(lines);
        }
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static Connection connection() throws SQLException {
        String url = app.bean(io.micronaut.context.env.Environment.class)
                .getProperty("datasources.default.url", String.class).orElseThrow();
        return DriverManager.getConnection(url, io.jobpipe.testing.PostgresFixture.shared().username(),
                io.jobpipe.testing.PostgresFixture.shared().password());
    }

    private static void execute(String... statements) {
        try (Connection c = connection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row of the job in the three tables, as text, to compare before and after. */
    private static List<String> dump(String jobId) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = connection(); Statement s = c.createStatement()) {
            for (String query : List.of(
                    "SELECT * FROM jobs WHERE job_id = '" + jobId + "'",
                    "SELECT * FROM job_stages WHERE job_id = '" + jobId + "' ORDER BY position",
                    // Not feed_position: the firehose's order across jobs, not part of a job's rows.
                    "SELECT job_id, seq, event_id, type, occurred_at, body FROM job_events WHERE job_id = '" + jobId
                            + "' ORDER BY seq")) {
                try (ResultSet rs = s.executeQuery(query)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= columns; i++) {
                            row.append(rs.getString(i)).append('|');
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        assertThat(rows).hasSize(1 + 3 + 10);
        return rows;
    }
}
