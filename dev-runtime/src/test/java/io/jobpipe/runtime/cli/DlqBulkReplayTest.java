package io.jobpipe.runtime.cli;

import io.jobpipe.core.event.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class DlqBulkReplayTest {
    private final TestHttpServer status = TestHttpServer.start();

    @AfterEach
    void stop() {
        status.close();
    }

    @Test
    void shouldSendDryRunAndPrintTheCountAndASample() throws IOException {
        status.on("/ops/dead-letters/replay", exchange -> TestHttpServer.json(exchange, 200, """
                {"matched":37,"sample":[
                  {"jobId":"job_a","stage":"enrich","errorClass":"Timeout","attempts":5,"deadLetteredAt":"2025-11-20T10:00:05Z","replays":0,"parked":false},
                  {"jobId":"job_b","stage":"enrich","errorClass":"Timeout","attempts":5,"deadLetteredAt":"2025-11-20T10:00:06Z","replays":1,"parked":false}]}"""));

        CliRun run = CliRun.of("dlq", "replay", "--stage", "enrich", "--error-class", "Timeout",
                "--since", "2025-11-20T09:00:00Z", "--reason", "timeout raised", "--dry-run", "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        TestHttpServer.Received request = status.received().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(Json.MAPPER.readTree(request.body())).isEqualTo(Json.MAPPER.readTree("""
                {"filter":{"stage":"enrich","errorClass":"Timeout","since":"2025-11-20T09:00:00Z"},
                 "reason":"timeout raised","ratePerSecond":100,"dryRun":true}"""));
        assertThat(run.out()).contains("dry run: 37 dead letters match; nothing was sent", "(a sample of 2)");
        assertThat(run.out().lines().filter(l -> l.startsWith("job_"))).hasSize(2);
        assertThat(run.out()).contains("JOB", "ERROR CLASS");
    }

    @Test
    void shouldAskForABoundOnTheReplayedJobsRunningAtOnce() throws IOException {
        status.on("/ops/dead-letters/replay", exchange -> TestHttpServer.json(exchange, 200, "{\"matched\":0,\"sample\":[]}"));

        CliRun run = CliRun.of("dlq", "replay", "--stage", "act", "--reason", "r", "--max-running", "10", "--dry-run",
                "--status-url", status.url());
        CliRun negative = CliRun.of("dlq", "replay", "--stage", "act", "--reason", "r", "--max-running", "-1",
                "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Json.MAPPER.readTree(status.received().get(0).body()).path("maxRunning").asInt()).isEqualTo(10);
        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(negative.err()).contains("--max-running must be 0 (no bound) or more");
    }

    @Test
    void shouldStartTheOperationAndShowItsProgressUntilItIsDone() throws IOException {
        AtomicInteger polls = new AtomicInteger();
        status.on("/ops/dead-letters/replay", exchange -> TestHttpServer.json(exchange, 202,
                "{\"operationId\":\"op_1\",\"replayId\":\"rpl_x\",\"matched\":3,\"statusUrl\":\"/ops/operations/op_1\"}"));
        status.on("/ops/operations/op_1", exchange -> {
            int poll = polls.incrementAndGet();
            String state = poll < 3 ? "running" : "done";
            TestHttpServer.json(exchange, 200, "{\"id\":\"op_1\",\"kind\":\"replay\",\"replayId\":\"rpl_x\",\"matched\":3,"
                    + "\"sent\":" + poll + ",\"failed\":0,\"state\":\"" + state + "\"}");
        });

        CliRun run = CliRun.of("dlq", "replay", "--pipeline", "default", "--reason", "deploy fixed it", "--rate", "20",
                "--limit", "3", "--replay-id", "rpl_x", "--poll-interval", "10ms", "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Json.MAPPER.readTree(status.received().get(0).body())).isEqualTo(Json.MAPPER.readTree("""
                {"filter":{"pipeline":"default"},"reason":"deploy fixed it","replayId":"rpl_x",
                 "ratePerSecond":20,"limit":3,"dryRun":false}"""));
        assertThat(status.received()).extracting(TestHttpServer.Received::uri).containsExactly(
                "/ops/dead-letters/replay", "/ops/operations/op_1", "/ops/operations/op_1", "/ops/operations/op_1");
        assertThat(status.received().get(1).header("Authorization")).isEqualTo("Bearer dev-operate-token");
        List<String> lines = run.out().lines().toList();
        assertThat(lines).startsWith("replay rpl_x started: 3 dead letters at 20/s (operation op_1)",
                "  status  " + status.url() + "/ops/operations/op_1");
        assertThat(lines).contains("replay rpl_x: 1/3 sent, 0 failed", "replay rpl_x: 3/3 sent, 0 failed");
        assertThat(lines.get(lines.size() - 1)).startsWith("replay rpl_x done: 3 of 3 dead letters sent, 0 failed, in ");
    }

    @Test
    void shouldExitOneWhenTheOperationFails() {
        status.on("/ops/dead-letters/replay", exchange -> TestHttpServer.json(exchange, 202,
                "{\"operationId\":\"op_2\",\"replayId\":\"rpl_y\",\"matched\":500,\"statusUrl\":\"/ops/operations/op_2\"}"));
        status.on("/ops/operations/op_2", exchange -> TestHttpServer.json(exchange, 200,
                "{\"id\":\"op_2\",\"matched\":500,\"sent\":120,\"failed\":3,\"state\":\"failed\",\"error\":\"Kafka unavailable\"}"));

        CliRun run = CliRun.of("dlq", "replay", "--stage", "enrich", "--reason", "r", "--poll-interval", "10ms",
                "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("replay rpl_y: 120/500 sent, 3 failed");
        assertThat(run.err()).contains("replay rpl_y failed: Kafka unavailable (120 of 500 dead letters sent, 3 failed, in ");
    }

    @Test
    void shouldStopAndSayHowToFinishWhenTheOperationWasAbandoned() {
        status.on("/ops/dead-letters/replay", exchange -> TestHttpServer.json(exchange, 202,
                "{\"operationId\":\"op_4\",\"replayId\":\"rpl_w\",\"matched\":50,\"statusUrl\":\"/ops/operations/op_4\"}"));
        status.on("/ops/operations/op_4", exchange -> TestHttpServer.json(exchange, 200,
                "{\"id\":\"op_4\",\"matched\":50,\"sent\":20,\"failed\":0,\"state\":\"abandoned\","
                        + "\"error\":\"no progress since 2026-12-02T10:00:00Z: repeat the request with replayId rpl_w\"}"));

        CliRun run = CliRun.of("dlq", "replay", "--stage", "enrich", "--reason", "r", "--poll-interval", "10ms",
                "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("replay rpl_w abandoned: no progress since 2026-12-02T10:00:00Z: repeat the "
                + "request with replayId rpl_w (20 of 50 dead letters sent");
    }

    @Test
    void shouldStopFollowingAfterTenFailedPollsInARowAndSayWhereToLook() {
        status.on("/ops/dead-letters/replay", exchange -> TestHttpServer.json(exchange, 202,
                "{\"operationId\":\"op_3\",\"replayId\":\"rpl_z\",\"matched\":5,\"statusUrl\":\"/ops/operations/op_3\"}"));
        status.on("/ops/operations/op_3", exchange -> TestHttpServer.respond(exchange, 503, "application/problem+json",
                "{\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"database down\"}"));

        CliRun run = CliRun.of("dlq", "replay", "--stage", "enrich", "--reason", "r", "--poll-interval", "1ms",
                "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(status.received()).hasSize(1 + 11);
        assertThat(run.err()).contains("cannot follow the replay: Service Unavailable (503): database down",
                "the replay may still be running in the status service: " + status.url() + "/ops/operations/op_3");
    }

    @Test
    void shouldRefuseABulkReplayWithoutAFilterUnlessAllDeadLettersIsGiven() throws IOException {
        status.on("/ops/dead-letters/replay", exchange -> TestHttpServer.json(exchange, 200, "{\"matched\":0,\"sample\":[]}"));

        CliRun refused = CliRun.of("dlq", "replay", "--reason", "r", "--limit", "10", "--status-url", status.url());
        CliRun allowed = CliRun.of("dlq", "replay", "--reason", "r", "--all-dead-letters", "--dry-run",
                "--status-url", status.url());

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("nothing to replay", "--all-dead-letters");
        assertThat(allowed.exitCode()).as(allowed.err()).isZero();
        assertThat(status.received()).hasSize(1);
        assertThat(Json.MAPPER.readTree(status.received().get(0).body()).get("filter").isEmpty()).isTrue();
        assertThat(allowed.out()).contains("dry run: 0 dead letters match");
    }
}
