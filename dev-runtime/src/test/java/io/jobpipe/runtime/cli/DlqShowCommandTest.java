package io.jobpipe.runtime.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DlqShowCommandTest {
    private final TestHttpServer status = TestHttpServer.start();

    @AfterEach
    void stop() {
        status.close();
    }

    @Test
    void shouldShowTheFailureAttemptsRecordPayloadHistoryAndReplays() {
        status.on("/ops/dead-letters/job_a", exchange -> TestHttpServer.json(exchange, 200, """
                {"jobId":"job_a","pipeline":"default","connection":"github","eventType":"push","stage":"enrich",
                 "errorClass":"Timeout","errorMessage":"no answer within 30 s","attempts":[
                   {"stage":"enrich","attempt":1,"startedAt":"2025-11-20T10:00:00Z","durationMs":30000,
                    "errorType":"Timeout","message":"no answer within 30 s","retryable":true,"nextAttemptAt":"2025-11-20T10:00:31Z"},
                   {"stage":"enrich","attempt":2,"startedAt":"2025-11-20T10:00:31Z","durationMs":12,
                    "errorType":"UpstreamRefused","message":"HTTP 503","retryable":false,"nextAttemptAt":null}],
                 "deadLetteredAt":"2025-11-20T10:00:32Z","parked":false,
                 "record":{"topic":"jobpipe.stage.enrich.dlq","partition":1,"offset":42,
                   "headers":{"jobpipe.error.class":"Timeout","jobpipe.attempts":"2"},
                   "value":{"jobId":"job_a","stage":"enrich","input":{"repo":"octo/hello"}}},
                 "history":[{"type":"JobAccepted","seq":1,"occurredAt":"2025-11-20T10:00:00Z","body":{}},
                            {"type":"JobDeadLettered","seq":7,"occurredAt":"2025-11-20T10:00:32Z","body":{}}],
                 "replays":[{"replayId":"rpl_1","replayNumber":1,"requestedBy":"ops:dev-operate","reason":"upstream fixed",
                             "filter":null,"fromStage":"enrich","inputPatched":true,"at":"2025-11-20T11:00:00Z"}]}"""));

        CliRun run = CliRun.of("dlq", "show", "job_a", "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(status.received().get(0).uri()).isEqualTo("/ops/dead-letters/job_a");
        String out = run.out();
        assertThat(out).contains("job            job_a",
                "pipeline       default   connection github   event push",
                "dead-lettered  at enrich after 2 attempts, ", "(replays 1, parked no)",
                "error          Timeout: no answer within 30 s");
        String attempts = section(out, "attempts");
        assertThat(attempts).contains("STAGE", "RETRYABLE", "NEXT ATTEMPT");
        assertThat(attempts.lines().filter(l -> l.contains("enrich  1"))).singleElement().asString()
                .contains("30.0 s", "Timeout: no answer within 30 s", "yes");
        assertThat(attempts).contains("UpstreamRefused: HTTP 503");
        assertThat(out).contains("record         jobpipe.stage.enrich.dlq   partition 1   offset 42");
        assertThat(out).contains("jobpipe.error.class  Timeout", "jobpipe.attempts     2");
        assertThat(out).contains("payload\n  {\n    \"jobId\" : \"job_a\",", "\"repo\" : \"octo/hello\"");
        assertThat(section(out, "history")).contains("SEQ", "1    JobAccepted", "7    JobDeadLettered");
        assertThat(section(out, "replays")).contains("rpl_1", "ops:dev-operate", "upstream fixed", "enrich", "yes");
    }

    @Test
    void shouldSayWhenThereIsNoRecordYetAndTheJobWasNeverReplayed() {
        status.on("/ops/dead-letters/job_b", exchange -> TestHttpServer.json(exchange, 200, """
                {"jobId":"job_b","stage":"notify","errorClass":"Boom","errorMessage":null,"attempts":[],
                 "record":null,"history":[],"replays":[]}"""));

        CliRun run = CliRun.of("dlq", "show", "job_b", "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("error          Boom\n", "attempts: no failed attempts recorded",
                "record         none (not consumed from the dead-letter topic yet)", "replays: never replayed")
                .doesNotContain("refused replays");
    }

    @Test
    void shouldTakeTheCountsWhenGivenAndShowARawPayloadAndRefusedReplays() {
        status.on("/ops/dead-letters/job_c", exchange -> TestHttpServer.json(exchange, 200, """
                {"jobId":"job_c","state":"DEAD_LETTERED","stage":"act","errorClass":"Boom","attemptsMade":5,
                 "replayCount":3,"parked":true,"attempts":[],"history":[],"replays":[],
                 "record":{"topic":"jobpipe.stage.act.dlq","partition":0,"offset":7,"headers":{},"value":null,
                           "rawValueBase64":"AAEC"},
                 "refusedReplays":[{"replayId":"rpl_9","requestedBy":"ops:dev-operate","reason":"again",
                                    "why":"replay cap of 3 reached","parked":true,"at":"2025-11-20T12:00:00Z"}]}"""));

        CliRun run = CliRun.of("dlq", "show", "job_c", "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("job            job_c   DEAD_LETTERED", "at act after 5 attempts",
                "(replays 3, parked yes)", "payload (not JSON, base64)\n  AAEC", "refused replays",
                "replay cap of 3 reached");
    }

    @Test
    void shouldShowTheDetailWhenThereIsNoSuchDeadLetter() {
        status.on("/ops/dead-letters/", exchange -> TestHttpServer.respond(exchange, 404, "application/problem+json",
                "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"job job_x is not dead-lettered\"}"));

        CliRun run = CliRun.of("dlq", "show", "job_x", "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("cannot show the dead letter of job job_x: Not Found (404): job job_x is not dead-lettered");
    }

    private static String section(String out, String title) {
        int start = out.indexOf("\n" + title);
        int end = out.indexOf("\n\n", start + 1);
        return end < 0 ? out.substring(start) : out.substring(start, end);
    }
}
