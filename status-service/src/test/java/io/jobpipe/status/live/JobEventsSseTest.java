package io.jobpipe.status.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.status.SseClient;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.status.store.JobEventProjector;
import io.jobpipe.testing.PostgresFixture;
import io.micronaut.context.env.Environment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static io.jobpipe.status.TestEvents.incoming;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /jobs/{id}/events}: history then live, ids = seq, exactly once, ending after the terminal event. */
class JobEventsSseTest {
    private static final Instant T0 = Instant.parse("2025-03-01T08:00:00Z");
    private static StatusTestApp app;
    private static JobEventProjector projector;

    @BeforeAll
    static void start() {
        app = StatusTestApp.withoutKafka("sse", Map.of("jobpipe.status.live.keep-alive", "300ms"));
        projector = app.bean(JobEventProjector.class);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void shouldSendHistoryThenLiveEventsInSeqOrderWithSeqAsId() throws Exception {
        String jobId = newJobId();
        List<JobEvent> run = TestEvents.successfulRun(jobId, T0);
        projector.project(incoming(run.subList(0, 4)));

        try (SseClient sse = SseClient.open(eventsUri(jobId), Map.of())) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.contentType()).startsWith("text/event-stream");
            await().atMost(Duration.ofSeconds(10)).until(() -> sse.messages().size() == 4);

            projector.project(incoming(run.subList(4, 6)));
            projector.project(incoming(run.subList(6, 8)));

            await().atMost(Duration.ofSeconds(10)).until(() -> sse.messages().size() == 8);
            assertThat(sse.ids()).containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
            assertThat(sse.messages()).extracting(SseClient.Message::event).containsExactly(
                    "JobAccepted", "StageDispatched", "StageCompleted", "StageDispatched", "StageAttemptFailed",
                    "StageDispatched", "StageCompleted", "StageDispatched");
            JsonNode fifth = Json.MAPPER.readTree(sse.messages().get(4).data());
            assertThat(fifth).isEqualTo(Json.MAPPER.readTree(TestEvents.json(run.get(4))));
            assertThat(sse.ended()).isFalse();
        }
    }

    @Test
    void shouldResumeAfterLastEventIdHeaderWithEachLaterEventExactlyOnce() throws Exception {
        String jobId = newJobId();
        List<JobEvent> run = TestEvents.successfulRun(jobId, T0);
        projector.project(incoming(run.subList(0, 6)));

        try (SseClient sse = SseClient.open(eventsUri(jobId), Map.of("Last-Event-ID", "3"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> sse.messages().size() == 3);
            projector.project(incoming(run.subList(6, 10)));

            await().atMost(Duration.ofSeconds(10)).until(sse::ended);
            assertThat(sse.ids()).containsExactly("4", "5", "6", "7", "8", "9", "10");
        }
    }

    @Test
    void shouldAcceptLastEventIdAsQueryParameter() throws Exception {
        String jobId = newJobId();
        projector.project(incoming(TestEvents.successfulRun(jobId, T0)));

        try (SseClient sse = SseClient.open(app.uri("/jobs/" + jobId + "/events?lastEventId=7"), Map.of())) {
            await().atMost(Duration.ofSeconds(10)).until(sse::ended);
            assertThat(sse.ids()).containsExactly("8", "9", "10");
        }
    }

    @Test
    void shouldCompleteTheStreamAfterJobCompleted() throws Exception {
        String jobId = newJobId();
        projector.project(incoming(TestEvents.successfulRun(jobId, T0)));

        try (SseClient sse = SseClient.open(eventsUri(jobId), Map.of())) {
            await().atMost(Duration.ofSeconds(10)).until(sse::ended);
            assertThat(sse.ids()).containsExactlyElementsOf(
                    LongStream.rangeClosed(1, 10).mapToObj(Long::toString).toList());
            assertThat(sse.messages().get(9).event()).isEqualTo("JobCompleted");
        }
    }

    @Test
    void shouldFollowADeadLetteredJobThroughItsReplayToTheEnd() throws Exception {
        String jobId = newJobId();
        List<JobEvent> events = new ArrayList<>(TestEvents.deadLetteredAtEnrich(jobId, T0));
        events.add(new JobEvent.ReplayRefused(TestEvents.eid(jobId, 11), jobId, T0.plusSeconds(11), 11, "rpl_0",
                "ops:alice", "too soon", null, "not yet", false));
        events.add(TestEvents.replayed(jobId, T0, 12, null));
        events.add(new JobEvent.StageDispatched(TestEvents.eid(jobId, 13), jobId, T0.plusSeconds(13), 13, "enrich", 2,
                6, T0.plusSeconds(43)));
        projector.project(incoming(events));

        try (SseClient sse = SseClient.open(eventsUri(jobId), Map.of())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> sse.messages().size() == 13);
            assertThat(sse.ended()).isFalse();
            projector.project(incoming(List.of(new JobEvent.JobCompleted(TestEvents.eid(jobId, 14), jobId,
                    T0.plusSeconds(14), 14))));

            await().atMost(Duration.ofSeconds(10)).until(sse::ended);
            assertThat(sse.messages()).extracting(SseClient.Message::event).containsSubsequence(
                    "JobDeadLettered", "ReplayRefused", "JobReplayed", "StageDispatched", "JobCompleted");
            assertThat(sse.ids()).hasSize(14);
        }
    }

    @Test
    void shouldEndAfterARefusedReplayOfADeadLetteredJob() throws Exception {
        String jobId = newJobId();
        List<JobEvent> events = new ArrayList<>(TestEvents.deadLetteredAtEnrich(jobId, T0));
        events.add(new JobEvent.ReplayRefused(TestEvents.eid(jobId, 11), jobId, T0.plusSeconds(11), 11, "rpl_0",
                "ops:alice", "again", null, "replay cap reached", true));
        projector.project(incoming(events));

        try (SseClient sse = SseClient.open(eventsUri(jobId), Map.of("Last-Event-ID", "9"))) {
            await().atMost(Duration.ofSeconds(10)).until(sse::ended);
            assertThat(sse.messages()).extracting(SseClient.Message::event)
                    .containsExactly("JobDeadLettered", "ReplayRefused");
        }
    }

    @Test
    void shouldEndAtOnceWhenResumingAfterTheTerminalEvent() throws Exception {
        String jobId = newJobId();
        projector.project(incoming(TestEvents.successfulRun(jobId, T0)));

        try (SseClient sse = SseClient.open(eventsUri(jobId), Map.of("Last-Event-ID", "10"))) {
            await().atMost(Duration.ofSeconds(10)).until(sse::ended);
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.messages()).isEmpty();
        }
    }

    /**
     * A Last-Event-ID beyond the last seq of a running job (a client of another replica whose projection is ahead,
     * or a wrong id): the stream waits like any other, and ends when the job does, not never.
     */
    @Test
    void shouldEndAStreamResumedBeyondTheLastSeqOfARunningJobWhenTheJobEnds() throws Exception {
        String jobId = newJobId();
        List<JobEvent> run = TestEvents.successfulRun(jobId, T0);
        projector.project(incoming(run.subList(0, 4)));

        try (SseClient sse = SseClient.open(eventsUri(jobId), Map.of("Last-Event-ID", "99"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !sse.comments().isEmpty());
            assertThat(sse.ended()).isFalse();

            projector.project(incoming(run.subList(4, run.size())));

            await().atMost(Duration.ofSeconds(10)).until(sse::ended);
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.messages()).isEmpty();
        }
    }

    @Test
    void shouldKeepIdleStreamsAliveWithCommentsOnly() throws Exception {
        String jobId = newJobId();
        projector.project(incoming(TestEvents.successfulRun(jobId, T0).subList(0, 2)));

        try (SseClient sse = SseClient.open(eventsUri(jobId), Map.of())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> sse.comments().size() >= 3);
            assertThat(sse.comments().get(0)).as("the headers leave at once, with this comment").isEqualTo("open");
            assertThat(sse.comments().subList(1, sse.comments().size())).allMatch("keep-alive"::equals);
            assertThat(sse.ids()).containsExactly("1", "2");
        }
    }

    @Test
    void shouldWaitForAJobThatIsProjectedJustAfterTheClientAsks() throws Exception {
        String jobId = newJobId();
        List<JobEvent> run = TestEvents.successfulRun(jobId, T0);
        // The client follows the 202's eventsUrl before the projection has seen the job.
        java.util.concurrent.CompletableFuture<SseClient> opening = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return SseClient.open(eventsUri(jobId), Map.of());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300); // let the request arrive first: this is the order being tested, not a wait for a result
        projector.project(incoming(run));

        try (SseClient sse = opening.get(10, java.util.concurrent.TimeUnit.SECONDS)) {
            assertThat(sse.status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(sse::ended);
            assertThat(sse.ids()).containsExactlyElementsOf(
                    LongStream.rangeClosed(1, 10).mapToObj(Long::toString).toList());
        }
    }

    @Test
    void shouldAnswerAnUnknownJobWith404Problem() throws Exception {
        try (SseClient sse = SseClient.open(eventsUri("job-that-never-was"), Map.of())) {
            assertThat(sse.status()).isEqualTo(404);
            assertThat(sse.contentType()).startsWith("application/problem+json");
        }
    }

    @Test
    void shouldRejectAMalformedLastEventIdWith400() throws Exception {
        String jobId = newJobId();
        projector.project(incoming(TestEvents.successfulRun(jobId, T0).subList(0, 1)));

        try (SseClient sse = SseClient.open(eventsUri(jobId), Map.of("Last-Event-ID", "abc"))) {
            assertThat(sse.status()).isEqualTo(400);
            assertThat(sse.contentType()).startsWith("application/problem+json");
        }
    }

    /**
     * A client connects before each event is projected, so every client's history read races with the
     * projection of the next event; each still sees 1..10 once, in order.
     */
    @Test
    void shouldNeitherLoseNorRepeatEventsAtTheHistoryLiveSeam() throws Exception {
        String jobId = newJobId();
        List<JobEvent> run = TestEvents.successfulRun(jobId, T0);
        projector.project(incoming(run.subList(0, 1)));

        List<SseClient> clients = new ArrayList<>();
        try {
            for (JobEvent event : run.subList(1, run.size())) {
                clients.add(SseClient.open(eventsUri(jobId), Map.of()));
                projector.project(incoming(List.of(event)));
            }
            List<String> all = LongStream.rangeClosed(1, 10).mapToObj(Long::toString).toList();
            for (SseClient client : clients) {
                await().atMost(Duration.ofSeconds(10)).until(client::ended);
                assertThat(client.ids()).containsExactlyElementsOf(all);
            }
        } finally {
            clients.forEach(SseClient::close);
        }
    }

    @Test
    void shouldDeliverEventsProjectedWhileTheListenConnectionWasDown() throws Exception {
        String jobId = newJobId();
        List<JobEvent> run = TestEvents.successfulRun(jobId, T0);
        projector.project(incoming(run.subList(0, 2)));
        JobEventNotifier notifier = app.bean(JobEventNotifier.class);

        try (SseClient sse = SseClient.open(eventsUri(jobId), Map.of())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> sse.messages().size() == 2);
            assertThat(terminateListenConnections()).isEqualTo(1);
            projector.project(incoming(run.subList(2, 4)));

            await().atMost(Duration.ofSeconds(10)).until(() -> sse.messages().size() == 4);
            assertThat(sse.ids()).containsExactly("1", "2", "3", "4");
            await().atMost(Duration.ofSeconds(10)).until(notifier::listening);
            projector.project(incoming(run.subList(4, 10)));
            await().atMost(Duration.ofSeconds(10)).until(sse::ended);
            assertThat(sse.ids()).hasSize(10).doesNotHaveDuplicates();
        }
    }

    @Test
    void shouldForgetTheSubscriptionOfAClientThatHangsUp() throws Exception {
        String jobId = newJobId();
        projector.project(incoming(TestEvents.successfulRun(jobId, T0).subList(0, 2)));
        JobEventNotifier notifier = app.bean(JobEventNotifier.class);
        int before = notifier.subscriberCount();

        SseClient sse = SseClient.open(eventsUri(jobId), Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> sse.messages().size() == 2);
        assertThat(notifier.subscriberCount()).isEqualTo(before + 1);
        sse.close();

        // Netty notices the closed connection at the latest when the next keep-alive is written.
        await().atMost(Duration.ofSeconds(10)).until(() -> notifier.subscriberCount() == before);
    }

    private static URI eventsUri(String jobId) {
        return app.uri("/jobs/" + jobId + "/events");
    }

    /** Kills this service's LISTEN session from another one, as a failover or network cut would. */
    private static int terminateListenConnections() throws SQLException {
        String url = app.bean(Environment.class).getProperty("datasources.default.url", String.class).orElseThrow();
        PostgresFixture postgres = PostgresFixture.shared();
        try (Connection admin = DriverManager.getConnection(url, postgres.username(), postgres.password());
             Statement s = admin.createStatement();
             ResultSet killed = s.executeQuery("""
                     SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                     WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()""")) {
            killed.next();
            return killed.getInt(1);
        }
    }

    private static String newJobId() {
        return "job-sse-" + System.nanoTime();
    }
}
