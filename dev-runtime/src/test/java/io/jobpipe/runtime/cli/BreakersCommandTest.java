package io.jobpipe.runtime.cli;

import io.jobpipe.core.event.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BreakersCommandTest {
    private final TestHttpServer status = TestHttpServer.start();

    @AfterEach
    void stop() {
        status.close();
    }

    @Test
    void shouldListEveryBreakerWithItsStateHeldJobsAndWhoChangedIt() {
        status.on("/ops/breakers", exchange -> TestHttpServer.json(exchange, 200, """
                {"items":[
                  {"breaker":"default/validate","pipeline":"default","stage":"validate","state":"CLOSED","since":null,
                   "reason":null,"changedBy":null,"manual":false,"heldJobs":0,"policy":{"enabled":true}},
                  {"breaker":"default/enrich","pipeline":"default","stage":"enrich","state":"OPEN",
                   "since":"2025-06-01T08:00:00Z","reason":"enrichment API down","changedBy":"alice","manual":true,
                   "heldJobs":12,"policy":{"enabled":true}},
                  {"breaker":"default/act","pipeline":"default","stage":"act","state":"HALF_OPEN",
                   "since":"2025-06-01T08:01:00Z","reason":"11 of the last 20 attempts failed",
                   "changedBy":"orchestrator","manual":false,"heldJobs":3,"policy":{"enabled":true}}]}"""));

        CliRun run = CliRun.withEnvironment(Map.of("JOBPIPE_OPS_TOKEN", "read-token"), "breakers",
                "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(status.received()).extracting(TestHttpServer.Received::uri).containsExactly("/ops/breakers");
        assertThat(status.received().get(0).header("Authorization")).isEqualTo("Bearer read-token");
        var lines = run.out().lines().toList();
        assertThat(lines.get(0)).startsWith("BREAKER").contains("STATE", "SINCE", "HELD", "REASON", "CHANGED BY");
        assertThat(lines.get(1)).startsWith("default/validate").contains("CLOSED", " 0 ");
        assertThat(lines.get(2)).startsWith("default/enrich")
                .contains("OPEN (by hand)", "12", "enrichment API down", "alice");
        assertThat(lines.get(3)).startsWith("default/act")
                .contains("HALF_OPEN", "11 of the last 20 attempts failed", "orchestrator");
        assertThat(lines).hasSize(4);
    }

    @Test
    void shouldOpenABreakerWithTheReason() throws IOException {
        status.on("/ops/breakers/default/enrich/open", exchange -> TestHttpServer.json(exchange, 202, """
                {"breaker":"default/enrich","pipeline":"default","stage":"enrich","state":"OPEN",
                 "since":"2025-06-01T08:00:00Z","reason":"API down","changedBy":"alice","manual":true,
                 "url":"/ops/breakers/default/enrich"}"""));

        CliRun run = CliRun.of("breakers", "open", "default/enrich", "--reason", "API down",
                "--token", "op-token", "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(status.received()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.uri()).isEqualTo("/ops/breakers/default/enrich/open");
            assertThat(request.header("Authorization")).isEqualTo("Bearer op-token");
        });
        assertThat(Json.MAPPER.readTree(status.received().get(0).body()))
                .isEqualTo(Json.MAPPER.readTree("{\"reason\":\"API down\"}"));
        assertThat(run.out()).contains("default/enrich: OPEN by hand (stays open until closed by hand), written by alice",
                "  breaker  " + status.url() + "/ops/breakers/default/enrich");
    }

    @Test
    void shouldCloseABreaker() {
        status.on("/ops/breakers/fails-on-demand/act/close", exchange -> TestHttpServer.json(exchange, 202, """
                {"breaker":"fails-on-demand/act","state":"CLOSED","changedBy":"alice","manual":false,
                 "url":"/ops/breakers/fails-on-demand/act"}"""));

        CliRun run = CliRun.of("breakers", "close", "fails-on-demand/act", "--reason", "back",
                "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(status.received().get(0).uri()).isEqualTo("/ops/breakers/fails-on-demand/act/close");
        assertThat(run.out()).contains("fails-on-demand/act: CLOSED, written by alice");
    }

    @Test
    void shouldPrintTheProblemOfAnUnknownBreakerAndExit1() {
        status.on("/ops/breakers/", exchange -> TestHttpServer.respond(exchange, 404, "application/problem+json",
                "{\"title\":\"Breaker not found\",\"status\":404,\"detail\":\"no stage 'nope' in a pipeline 'default'\"}"));

        CliRun run = CliRun.of("breakers", "open", "default/nope", "--reason", "r", "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("cannot open breaker default/nope: Breaker not found (404): no stage 'nope'");
    }

    @Test
    void shouldSayTheTokenMayNotSwitchBreakersOn403() {
        status.on("/ops/breakers/", exchange -> TestHttpServer.respond(exchange, 403, "application/problem+json",
                "{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"Token 'dev-read' may only read\"}"));

        CliRun run = CliRun.of("breakers", "close", "default/act", "--reason", "r", "--token", "dev-read-token",
                "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("the status service refused the token from --token", "operate role");
    }

    @Test
    void shouldRefuseABreakerNotNamedPipelineSlashStageOrWithoutAReason() {
        CliRun unnamed = CliRun.of("breakers", "open", "enrich", "--reason", "r", "--status-url", status.url());
        CliRun noReason = CliRun.of("breakers", "open", "default/enrich", "--status-url", status.url());

        assertThat(unnamed.exitCode()).isEqualTo(2);
        assertThat(unnamed.err()).contains("PIPELINE/STAGE", "'enrich'");
        assertThat(noReason.exitCode()).isEqualTo(2);
        assertThat(noReason.err()).contains("--reason");
        assertThat(status.received()).isEmpty();
    }
}
