package io.jobpipe.runtime.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobsCommandTest {
    private final TestHttpServer status = TestHttpServer.start();

    @AfterEach
    void stop() {
        status.close();
    }

    @Test
    void shouldListRecentJobsAsATableWithTheCursorForOlderOnes() {
        status.on("/jobs", exchange -> TestHttpServer.json(exchange, 200, """
                {"items":[
                  {"jobId":"job_new","state":"RUNNING","connection":"demo","eventType":"push","pipeline":"default",
                   "currentStage":"enrich","createdAt":"2025-11-20T10:00:01Z","updatedAt":"2025-11-20T10:00:02Z",
                   "subject":"Fix the login\\n redirect"},
                  {"jobId":"job_old","state":"COMPLETED","connection":"demo","eventType":"order.created","pipeline":"default",
                   "currentStage":null,"createdAt":"2025-11-20T09:59:00Z","updatedAt":"2025-11-20T09:59:01Z"}],
                 "next":"c-123"}"""));

        CliRun run = CliRun.of("jobs", "--limit", "2", "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(status.received().get(0).uri()).isEqualTo("/jobs?limit=2");
        String[] lines = run.out().split("\n");
        assertThat(lines[0]).startsWith("JOB").contains("STATE", "STAGE", "CONNECTION", "EVENT", "PIPELINE", "CREATED");
        assertThat(lines[1]).startsWith("job_new").contains("RUNNING", "enrich", "push").endsWith("Fix the login redirect");
        assertThat(lines[2]).startsWith("job_old").contains("COMPLETED", "order.created");
        assertThat(lines[1].indexOf("RUNNING")).isEqualTo(lines[2].indexOf("COMPLETED"));
        assertThat(run.out()).contains("2 jobs; older: add --before c-123");
        assertThat(status.received().get(0).header("Authorization")).as("the dev token, for a loopback status URL")
                .isEqualTo("Bearer dev-operate-token");
    }

    @Test
    void shouldSendTheFiltersAndTheGivenToken() {
        status.on("/jobs", exchange -> TestHttpServer.json(exchange, 200, "{\"items\":[],\"next\":null}"));

        CliRun run = CliRun.of("jobs", "--state", "FAILED,DEAD_LETTERED", "-q", "login page", "--pipeline", "pr-bot",
                "--error-class", "HttpError", "--token", "secret-1", "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(status.received().get(0).uri())
                .isEqualTo("/jobs?limit=20&state=FAILED%2CDEAD_LETTERED&q=login%20page&errorClass=HttpError&pipeline=pr-bot");
        assertThat(status.received().get(0).header("Authorization")).isEqualTo("Bearer secret-1");
        assertThat(run.out()).contains("no job matches these filters");
    }

    @Test
    void shouldSayHowToPassATokenWhenListingIsRefused() {
        status.on("/jobs", exchange -> TestHttpServer.respond(exchange, 401, "application/problem+json",
                "{\"type\":\"urn:jobpipe:problem:ops-unauthorized\",\"title\":\"Ops token required\",\"status\":401,"
                        + "\"detail\":\"The bearer token is not a known ops token.\"}"));

        CliRun run = CliRun.of("jobs", "--token", "wrong", "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("not a known ops token", "sent the token from --token");
    }

    @Test
    void shouldPassTheCursorToPageBackwards() {
        status.on("/jobs", exchange -> TestHttpServer.json(exchange, 200, "{\"items\":[],\"next\":null}"));

        CliRun run = CliRun.of("jobs", "--before", "c 1", "--status-url", status.url());

        assertThat(run.exitCode()).isZero();
        assertThat(status.received().get(0).uri()).isEqualTo("/jobs?limit=20&before=c%201");
        assertThat(run.out()).contains("no older jobs");
    }

    @Test
    void shouldShowOneJobWithItsStagesAsATable() {
        status.on("/jobs/job_a", exchange -> TestHttpServer.json(exchange, 200, """
                {"jobId":"job_a","state":"FAILED","connection":"demo","eventType":"push","deliveryId":"d-9",
                 "currentStage":"validate","currentAttempt":1,"pipeline":"default","traceId":"4bf92f3577b34da6a3ce929d0e0e4736",
                 "createdAt":"2025-11-20T10:00:00Z","updatedAt":"2025-11-20T10:00:01Z","finishedAt":"2025-11-20T10:00:01Z",
                 "error":{"errorType":"ValidationFailed","message":"payload is missing required field id"},
                 "stages":[
                   {"name":"validate","position":1,"status":"FAILED","attempts":1,"startedAt":"2025-11-20T10:00:00Z",
                    "endedAt":"2025-11-20T10:00:01Z","durationMs":4,"summary":null,
                    "error":"ValidationFailed: payload is missing required field id"},
                   {"name":"normalize","position":2,"status":"PENDING","attempts":0}]}"""));

        CliRun run = CliRun.of("jobs", "job_a", "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("job       job_a", "state     FAILED   at validate#1",
                "webhook   connection demo   event push   delivery d-9", "trace 4bf92f3577b34da6a3ce929d0e0e4736",
                "error     ValidationFailed: payload is missing required field id");
        String table = run.out().substring(run.out().indexOf("#  STAGE"));
        assertThat(table.lines().skip(1).findFirst().orElseThrow())
                .startsWith("1  validate").contains("FAILED", "4 ms", "missing required field id");
        assertThat(table).contains("2  normalize", "PENDING");
    }

    @Test
    void shouldSayWhichBreakerHoldsAHeldJob() {
        status.on("/jobs/job_h", exchange -> TestHttpServer.json(exchange, 200, """
                {"jobId":"job_h","state":"HELD","currentStage":"enrich","currentAttempt":null,"pipeline":"default",
                 "createdAt":"2025-11-20T10:00:00Z","updatedAt":"2025-11-20T10:00:05Z",
                 "held":{"stage":"enrich","breaker":"default/enrich","reason":"enrichment API down",
                         "since":"2025-11-20T10:00:05Z"},
                 "stages":[{"name":"enrich","position":2,"status":"HELD","attempts":1}]}"""));

        CliRun run = CliRun.of("jobs", "job_h", "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("state     HELD   at enrich", "held      by breaker default/enrich since ",
                ": enrichment API down");
        assertThat(run.out()).containsPattern("2  +enrich +HELD");
    }

    @Test
    void shouldSayWhenTheJobDoesNotExist() {
        status.on("/jobs/", exchange -> TestHttpServer.respond(exchange, 404, "application/problem+json",
                "{\"title\":\"Not Found\",\"status\":404}"));

        CliRun run = CliRun.of("jobs", "job_nope", "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no job job_nope");
    }

    @Test
    void shouldPrintTheProblemWhenTheServiceFails() {
        status.on("/jobs", exchange -> TestHttpServer.respond(exchange, 500, "application/problem+json",
                "{\"title\":\"Database unavailable\",\"status\":500,\"detail\":\"connection refused\"}"));

        CliRun run = CliRun.of("jobs", "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("Database unavailable (500): connection refused");
    }
}
