package io.jobpipe.runtime.cli;

import io.jobpipe.core.event.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DlqReplayCommandTest {
    private final TestHttpServer status = TestHttpServer.start();

    @AfterEach
    void stop() {
        status.close();
    }

    private void acceptReplays() {
        status.on("/ops/jobs/", exchange -> {
            String jobId = exchange.getRequestURI().getPath().split("/")[3];
            TestHttpServer.json(exchange, 202, "{\"jobId\":\"" + jobId + "\",\"replayId\":\"rpl_" + jobId
                    + "\",\"commandId\":\"cmd_1\",\"statusUrl\":\"/jobs/" + jobId + "\"}");
        });
    }

    @Test
    void shouldPostTheReasonStageAndInlinePatchAndPrintTheReplayId() throws IOException {
        acceptReplays();

        CliRun run = CliRun.of("dlq", "replay", "job_a", "--reason", "upstream fixed", "--replay-id", "rpl_mine",
                "--from-stage", "enrich", "--patch", "{\"input\":{\"repo\":\"octo/hello\",\"ref\":null}}",
                "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        TestHttpServer.Received request = status.received().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.uri()).isEqualTo("/ops/jobs/job_a/replay");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Authorization")).isEqualTo("Bearer dev-operate-token");
        assertThat(Json.MAPPER.readTree(request.body())).isEqualTo(Json.MAPPER.readTree("""
                {"reason":"upstream fixed","replayId":"rpl_mine","fromStage":"enrich",
                 "inputPatch":{"input":{"repo":"octo/hello","ref":null}}}"""));
        assertThat(run.out()).contains("job_a: replay rpl_job_a requested (command cmd_1)",
                "  status  " + status.url() + "/jobs/job_a");
    }

    @Test
    void shouldReadThePatchFromAFileAndLeaveOutWhatIsNotGiven(@TempDir Path dir) throws IOException {
        acceptReplays();
        Path patch = Files.writeString(dir.resolve("patch.json"), "{\"input\":{\"limit\":5}}");

        CliRun run = CliRun.of("dlq", "replay", "job_a", "--reason", "smaller batch", "--patch", "@" + patch,
                "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Json.MAPPER.readTree(status.received().get(0).body())).isEqualTo(Json.MAPPER.readTree(
                "{\"reason\":\"smaller batch\",\"inputPatch\":{\"input\":{\"limit\":5}}}"));
    }

    @Test
    void shouldReplayEachJobAndGoOnAfterOneIsRefused() {
        status.on("/ops/jobs/job_b/", exchange -> TestHttpServer.respond(exchange, 409, "application/problem+json",
                "{\"title\":\"Conflict\",\"status\":409,\"detail\":\"job job_b is RUNNING, not dead-lettered\"}"));
        acceptReplays();

        CliRun run = CliRun.of("dlq", "replay", "job_a", "job_b", "job_c", "--reason", "retry",
                "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(status.received()).extracting(TestHttpServer.Received::uri).containsExactly(
                "/ops/jobs/job_a/replay", "/ops/jobs/job_b/replay", "/ops/jobs/job_c/replay");
        assertThat(run.out()).contains("job_a: replay rpl_job_a", "job_c: replay rpl_job_c");
        assertThat(run.err()).contains("cannot replay job job_b: Conflict (409): job job_b is RUNNING, not dead-lettered",
                "1 of 3 jobs refused");
    }

    @Test
    void shouldRequireAReason() {
        CliRun run = CliRun.of("dlq", "replay", "job_a", "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--reason=REASON'");
        assertThat(status.received()).isEmpty();
    }

    @Test
    void shouldRejectAPatchThatIsNotJson() {
        CliRun run = CliRun.of("dlq", "replay", "job_a", "--reason", "r", "--patch", "{input:", "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("the patch is not JSON");
        assertThat(status.received()).isEmpty();
    }

    @Test
    void shouldSayTheReadTokenMayNotReplayAndStopOn403() {
        status.on("/ops/jobs/", exchange -> TestHttpServer.respond(exchange, 403, "application/problem+json",
                "{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"role read may not replay\"}"));

        CliRun run = CliRun.withEnvironment(Map.of("JOBPIPE_OPS_TOKEN", "dev-read-token"), "dlq", "replay",
                "job_a", "job_b", "--reason", "retry", "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(status.received()).hasSize(1);
        assertThat(run.err()).contains("cannot replay job job_a: the status service refused the token from JOBPIPE_OPS_TOKEN for this",
                "Forbidden (403): role read may not replay", "it needs a token with the operate role",
                "--token TOKEN or the JOBPIPE_OPS_TOKEN").doesNotContain("dev-read-token");
    }

    @Test
    void shouldNotMixJobIdsAndFilters() {
        CliRun run = CliRun.of("dlq", "replay", "job_a", "--stage", "enrich", "--reason", "r", "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("give JOB ids or filter options (a bulk replay), not both");
    }
}
