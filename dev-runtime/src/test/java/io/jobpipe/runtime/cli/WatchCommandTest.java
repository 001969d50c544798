package io.jobpipe.runtime.cli;

import com.sun.net.httpserver.HttpExchange;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.JobEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class WatchCommandTest {
    private static final Instant T0 = Instant.parse("2025-11-20T10:00:00Z");
    private final TestHttpServer status = TestHttpServer.start();

    @AfterEach
    void stop() {
        status.close();
    }

    @Test
    void shouldPrintOneLinePerEventAndExitZeroWhenTheJobCompletes() {
        List<JobEvent> events = completedJob("job_a");
        status.on("/jobs/job_a/events", exchange -> stream(exchange, events));

        CliRun run = CliRun.of("watch", "job_a", "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines().filter(l -> l.contains("  #"))).hasSize(events.size());
        assertThat(run.out()).contains("JobAccepted", "StageCompleted", "validate#1", "payload valid", "JobCompleted",
                "COMPLETED in 40 ms");
        assertThat(status.received().get(0).header("Accept")).isEqualTo("text/event-stream");
    }

    @Test
    void shouldExitOneWhenTheJobIsDeadLettered() {
        List<JobEvent> events = List.of(
                new JobEvent.JobAccepted("e", "job_d", T0, 1, "demo", "d", "push", "r", "default", List.of("act")),
                new JobEvent.StageDispatched("e", "job_d", T0, 2, "act", 0, 1, null),
                new JobEvent.JobDeadLettered("e", "job_d", T0.plusSeconds(3), 3, "act", 5, "Timeout", "no answer",
                        "jobpipe.stage.act.dlq"));
        status.on("/jobs/job_d/events", exchange -> stream(exchange, events));

        CliRun run = CliRun.of("watch", "job_d", "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("Timeout: no answer after 5 attempts", "DEAD_LETTERED in 3.0 s");
    }

    @Test
    void shouldFollowADeadLetterThroughItsReplayToTheEndOfTheStream() {
        List<JobEvent> events = List.of(
                new JobEvent.JobAccepted("e", "job_p", T0, 1, "demo", "d", "push", "r", "default", List.of("act")),
                new JobEvent.StageDispatched("e", "job_p", T0, 2, "act", 0, 1, null),
                new JobEvent.JobDeadLettered("e", "job_p", T0.plusSeconds(1), 3, "act", 1, "DemoFailure", "asked to",
                        "jobpipe.stage.act.dlq"),
                new JobEvent.JobReplayed("e", "job_p", T0.plusSeconds(5), 4, "rpl_1", 1, "ops:dev-operate", "fixed",
                        null, "act", "act", true, Json.MAPPER.createObjectNode().put("fail", false)),
                new JobEvent.StageDispatched("e", "job_p", T0.plusSeconds(5), 5, "act", 0, 2, null),
                new JobEvent.StageCompleted("e", "job_p", T0.plusSeconds(6), 6, "act", 2, T0, 5, "done", null),
                new JobEvent.JobCompleted("e", "job_p", T0.plusSeconds(6), 7));
        status.on("/jobs/job_p/events", exchange -> stream(exchange, events));

        CliRun run = CliRun.of("watch", "job_p", "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("JobDeadLettered", "replay 1 (rpl_1) by ops:dev-operate: fixed; payload patched",
                "COMPLETED in 6.0 s");
    }

    @Test
    void shouldResumeAfterADroppedStreamWithLastEventIdAndShowEveryEventOnce() {
        List<JobEvent> events = completedJob("job_r");
        AtomicInteger connections = new AtomicInteger();
        List<String> lastEventIds = new ArrayList<>();
        status.on("/jobs/job_r/events", exchange -> {
            lastEventIds.add(exchange.getRequestHeaders().getFirst("Last-Event-ID"));
            if (connections.incrementAndGet() == 1) {
                stream(exchange, events.subList(0, 2)); // the connection ends mid-job
            } else {
                stream(exchange, events.subList(1, events.size())); // a server that repeats one event
            }
        });
        status.on("/jobs/job_r", exchange -> TestHttpServer.json(exchange, 200, "{\"jobId\":\"job_r\",\"state\":\"RUNNING\"}"));

        CliRun run = CliRun.of("watch", "job_r", "--status-url", status.url(), "--reconnect-delay", "10ms");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(lastEventIds).containsExactly(null, "2");
        assertThat(run.out()).contains("reconnecting after event #2");
        for (JobEvent event : events) {
            assertThat(run.out().lines().filter(l -> l.contains("  #" + event.seq() + " "))).hasSize(1);
        }
    }

    @Test
    void shouldFinishFromTheStatusApiWhenTheStreamEndsWithoutATerminalEvent() {
        status.on("/jobs/job_c/events", exchange -> stream(exchange, List.of(
                new JobEvent.JobAccepted("e", "job_c", T0, 1, "demo", "d", "push", "r", "default", List.of("act")))));
        status.on("/jobs/job_c", exchange -> TestHttpServer.json(exchange, 200, "{\"jobId\":\"job_c\",\"state\":\"CANCELLED\"}"));

        CliRun run = CliRun.of("watch", "job_c", "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("job job_c is CANCELLED");
    }

    @Test
    void shouldSaySoWhenTheJobDoesNotExist() {
        status.on("/jobs/", exchange -> TestHttpServer.respond(exchange, 404, "application/problem+json",
                "{\"title\":\"Not Found\",\"status\":404}"));

        CliRun run = CliRun.of("watch", "job_missing", "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no job job_missing");
    }

    @Test
    void shouldGiveUpAfterTheAllowedReconnectsWhenTheServiceIsGone() {
        String url = status.url();
        status.close();

        CliRun run = CliRun.of("watch", "job_x", "--status-url", url, "--reconnects", "2", "--reconnect-delay", "10ms");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("not reachable", "gave up after 2 reconnects");
    }

    static List<JobEvent> completedJob(String jobId) {
        return List.of(
                new JobEvent.JobAccepted("e1", jobId, T0, 1, "demo", "d-1", "push", "r", "default", List.of("validate")),
                new JobEvent.StageDispatched("e2", jobId, T0.plusMillis(5), 2, "validate", 0, 1, T0.plusSeconds(30)),
                new JobEvent.StageCompleted("e3", jobId, T0.plusMillis(30), 3, "validate", 1, T0.plusMillis(6), 12,
                        "payload valid: 3 top-level fields", Json.MAPPER.createObjectNode()),
                new JobEvent.JobCompleted("e4", jobId, T0.plusMillis(40), 4));
    }

    /** Writes {@code events} as an SSE stream (chunked), then ends the response. */
    static void stream(HttpExchange exchange, List<JobEvent> events) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
            for (JobEvent event : events) {
                String frame = "id: " + event.seq() + "\nevent: " + event.getClass().getSimpleName() + "\ndata: "
                        + Json.MAPPER.writerFor(JobEvent.class).writeValueAsString(event) + "\n\n";
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }
}
