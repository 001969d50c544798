package io.jobpipe.runtime.cli;

import io.jobpipe.core.event.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CancelCommandTest {
    private final TestHttpServer status = TestHttpServer.start();

    @AfterEach
    void stop() {
        status.close();
    }

    @Test
    void shouldCancelEachJobWithTheReason() throws IOException {
        status.on("/ops/jobs/", exchange -> {
            String jobId = exchange.getRequestURI().getPath().split("/")[3];
            TestHttpServer.json(exchange, 202, "{\"jobId\":\"" + jobId + "\",\"commandId\":\"cmd_" + jobId
                    + "\",\"statusUrl\":\"/jobs/" + jobId + "\"}");
        });

        CliRun run = CliRun.withEnvironment(Map.of("JOBPIPE_OPS_TOKEN", "op-token"), "cancel", "job_a", "job_b",
                "--reason", "sent twice", "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(status.received()).extracting(TestHttpServer.Received::method).containsOnly("POST");
        assertThat(status.received()).extracting(TestHttpServer.Received::uri)
                .containsExactly("/ops/jobs/job_a/cancel", "/ops/jobs/job_b/cancel");
        assertThat(status.received().get(0).header("Authorization")).isEqualTo("Bearer op-token");
        assertThat(Json.MAPPER.readTree(status.received().get(0).body()))
                .isEqualTo(Json.MAPPER.readTree("{\"reason\":\"sent twice\"}"));
        assertThat(run.out()).contains("job_a: cancel requested (command cmd_job_a)",
                "  status  " + status.url() + "/jobs/job_a", "job_b: cancel requested (command cmd_job_b)");
    }

    @Test
    void shouldSayWhenTheJobHasAlreadyFinished() {
        status.on("/ops/jobs/", exchange -> TestHttpServer.respond(exchange, 409, "application/problem+json",
                "{\"title\":\"Conflict\",\"status\":409,\"detail\":\"job job_a already COMPLETED\"}"));

        CliRun run = CliRun.of("cancel", "job_a", "--reason", "r", "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("cannot cancel job job_a: Conflict (409): job job_a already COMPLETED");
    }

    @Test
    void shouldSendABulkDryRunWithTheStateAndPrintTheSample() throws IOException {
        status.on("/ops/jobs/cancel", exchange -> TestHttpServer.json(exchange, 200, """
                {"matched":2,"sample":[
                  {"jobId":"job_a","state":"RUNNING","currentStage":"act","connection":"stripe","pipeline":"default"},
                  {"jobId":"job_b","state":"RUNNING","currentStage":"notify","connection":"stripe","pipeline":"default"}]}"""));

        CliRun run = CliRun.of("cancel", "--connection", "stripe", "--state", "RUNNING", "--reason", "test traffic",
                "--dry-run", "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(status.received().get(0).uri()).isEqualTo("/ops/jobs/cancel");
        assertThat(Json.MAPPER.readTree(status.received().get(0).body())).isEqualTo(Json.MAPPER.readTree("""
                {"filter":{"connection":"stripe","state":"RUNNING"},"reason":"test traffic",
                 "ratePerSecond":100,"dryRun":true}"""));
        assertThat(run.out()).contains("dry run: 2 jobs match; nothing was sent (run again without --dry-run to cancel them)");
        assertThat(run.out().lines().filter(l -> l.startsWith("job_a"))).singleElement().asString()
                .contains("RUNNING", "act", "stripe");
    }

    @Test
    void shouldStartABulkCancelAndFollowItUntilDone() throws IOException {
        AtomicInteger polls = new AtomicInteger();
        status.on("/ops/jobs/cancel", exchange -> TestHttpServer.json(exchange, 202,
                "{\"operationId\":\"op_9\",\"matched\":2,\"statusUrl\":\"/ops/operations/op_9\"}"));
        status.on("/ops/operations/op_9", exchange -> {
            int poll = polls.incrementAndGet();
            TestHttpServer.json(exchange, 200, "{\"id\":\"op_9\",\"kind\":\"cancel\",\"matched\":2,\"sent\":" + poll
                    + ",\"failed\":0,\"state\":\"" + (poll < 2 ? "running" : "done") + "\"}");
        });

        CliRun run = CliRun.of("cancel", "--stage", "act", "--state", "DEAD_LETTERED", "--reason", "obsolete",
                "--rate", "5", "--poll-interval", "10ms", "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Json.MAPPER.readTree(status.received().get(0).body())).isEqualTo(Json.MAPPER.readTree("""
                {"filter":{"stage":"act","state":"DEAD_LETTERED"},"reason":"obsolete","ratePerSecond":5,"dryRun":false}"""));
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("cancel op_9 started: 2 jobs at 5/s (operation op_9)");
        assertThat(lines).contains("cancel op_9: 1/2 sent, 0 failed", "cancel op_9: 2/2 sent, 0 failed");
        assertThat(lines.get(lines.size() - 1)).startsWith("cancel op_9 done: 2 of 2 jobs sent, 0 failed");
    }

    @Test
    void shouldRefuseABulkCancelWithoutAFilterUnlessAllMatchingIsGiven() throws IOException {
        status.on("/ops/jobs/cancel", exchange -> TestHttpServer.json(exchange, 200, "{\"matched\":4,\"sample\":[]}"));

        CliRun refused = CliRun.of("cancel", "--state", "RUNNING", "--reason", "r", "--status-url", status.url());
        CliRun allowed = CliRun.of("cancel", "--state", "RUNNING", "--all-matching", "--reason", "r", "--dry-run",
                "--status-url", status.url());

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("nothing to cancel", "to cancel every RUNNING job, add --all-matching");
        assertThat(allowed.exitCode()).as(allowed.err()).isZero();
        assertThat(status.received()).hasSize(1);
        assertThat(Json.MAPPER.readTree(status.received().get(0).body()).get("filter"))
                .isEqualTo(Json.MAPPER.readTree("{\"state\":\"RUNNING\"}"));
    }

    @Test
    void shouldRejectAnUnknownState() {
        CliRun run = CliRun.of("cancel", "--stage", "act", "--state", "DONE", "--reason", "r", "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--state", "RUNNING, HELD, DEAD_LETTERED");
        assertThat(status.received()).isEmpty();
    }

    @Test
    void shouldSayTheTokenMayNotCancelOn403() {
        status.on("/ops/jobs/", exchange -> TestHttpServer.respond(exchange, 403, "application/problem+json",
                "{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"read tokens cannot cancel\"}"));

        CliRun run = CliRun.of("cancel", "job_a", "--reason", "r", "--token", "dev-read-token", "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("the status service refused the token from --token for this", "read tokens cannot cancel",
                "operate role").doesNotContain("dev-read-token");
    }
}
