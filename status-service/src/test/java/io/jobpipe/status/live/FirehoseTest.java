package io.jobpipe.status.live;

import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.status.SseClient;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.status.ops.OpsClient;
import io.jobpipe.status.store.JobEventProjector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /events}: the filtered, resumable firehose of every job's events, on the real read model. */
class FirehoseTest {
    private static final Instant T0 = Instant.parse("2025-08-01T09:00:00Z");
    private static final Map<String, String> READ = Map.of("Authorization", "Bearer " + OpsClient.READ_TOKEN);
    private static StatusTestApp app;
    private static JobEventProjector projector;

    @BeforeAll
    static void start() {
        app = StatusTestApp.withoutKafka("firehose", Map.of("jobpipe.ops.tokens", OpsClient.TOKENS));
        projector = app.bean(JobEventProjector.class);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static JobEvent.JobAccepted accepted(String jobId, String pipeline) {
        return new JobEvent.JobAccepted(TestEvents.eid(jobId, 1), jobId, T0, 1, "github", "d-" + jobId, "push",
                "r-" + jobId, pipeline, TestEvents.STAGES);
    }

    private static String jobOf(SseClient.Message message) throws Exception {
        return Json.MAPPER.readTree(message.data()).get("jobId").asText();
    }

    @Test
    void shouldStartAtTheEndSendOnlyTheFilteredJobsAndResumeWithoutGaps() throws Exception {
        projector.project(TestEvents.incoming(List.of(accepted("fh-old", "fh-a"))));

        try (SseClient firehose = SseClient.open(app.uri("/events?pipeline=fh-a"), READ)) {
            assertThat(firehose.status()).isEqualTo(200);
            List<JobEvent> run = TestEvents.successfulRun("fh-1", T0);
            List<JobEvent> a = new ArrayList<>(run);
            a.set(0, accepted("fh-1", "fh-a"));
            projector.project(TestEvents.incoming(List.of(accepted("fh-other", "fh-b"))));
            projector.project(TestEvents.incoming(a.subList(0, 5)));
            projector.project(TestEvents.incoming(a.subList(5, 10)));

            await().atMost(Duration.ofSeconds(5)).until(() -> firehose.messages().size() == 10);
            List<SseClient.Message> messages = firehose.messages();
            for (SseClient.Message message : messages) {
                assertThat(jobOf(message)).as("only fh-a's new jobs; fh-old came before the stream").isEqualTo("fh-1");
            }
            assertThat(messages).extracting(SseClient.Message::event).startsWith("JobAccepted", "StageDispatched")
                    .endsWith("JobCompleted");
            List<Long> ids = messages.stream().map(m -> Long.parseLong(m.id())).toList();
            assertThat(ids).isSorted().doesNotHaveDuplicates();
            assertThat(firehose.ended()).isFalse();

            // A client that saw the fourth event resumes with the fifth.
            Map<String, String> resume = new java.util.HashMap<>(READ);
            resume.put("Last-Event-ID", messages.get(3).id());
            try (SseClient resumed = SseClient.open(app.uri("/events?pipeline=fh-a"), resume)) {
                await().atMost(Duration.ofSeconds(5)).until(() -> resumed.messages().size() == 6);
                assertThat(resumed.ids()).containsExactlyElementsOf(firehose.ids().subList(4, 10));
            }
        }
    }

    @Test
    void shouldMissNothingWhileTwoProjectorsCommitAtOnce() throws Exception {
        int jobs = 40;
        try (SseClient firehose = SseClient.open(app.uri("/events?pipeline=fh-race"), READ)) {
            ExecutorService two = Executors.newFixedThreadPool(2);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                String jobId = "fh-race-" + i;
                List<JobEvent> run = new ArrayList<>(TestEvents.successfulRun(jobId, T0));
                run.set(0, accepted(jobId, "fh-race"));
                done.add(two.submit(() -> projector.project(TestEvents.incoming(run))));
            }
            for (Future<?> f : done) {
                f.get();
            }
            two.shutdown();

            await().atMost(Duration.ofSeconds(10)).until(() -> firehose.messages().size() >= jobs * 10);
            Thread.sleep(300);
            List<Long> ids = firehose.ids().stream().map(Long::parseLong).toList();
            assertThat(ids).hasSize(jobs * 10).isSorted().doesNotHaveDuplicates();
            try (SseClient replay = SseClient.open(app.uri("/events?pipeline=fh-race&lastEventId=0"), READ)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> replay.messages().size() >= jobs * 10);
                assertThat(replay.ids()).as("live and from the start agree").containsExactlyElementsOf(firehose.ids());
            }
        }
    }

    @Test
    void shouldAskForATokenAndRefuseABadFilter() throws Exception {
        try (SseClient anonymous = SseClient.open(app.uri("/events"), Map.of())) {
            assertThat(anonymous.status()).isEqualTo(401);
        }
        try (SseClient bad = SseClient.open(app.uri("/events?state=SLEEPING"), READ)) {
            assertThat(bad.status()).isEqualTo(400);
        }
        try (SseClient badId = SseClient.open(app.uri("/events?lastEventId=x"), READ)) {
            assertThat(badId.status()).isEqualTo(400);
        }
    }
}
