package io.jobpipe.runtime.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DlqTokenTest {
    private static final String EMPTY_PAGE = "{\"items\":[],\"next\":null}";

    private final TestHttpServer status = TestHttpServer.start();

    @AfterEach
    void stop() {
        status.close();
    }

    @Test
    void shouldPreferTheTokenOptionOverTheEnvironmentOverTheDevDefault() {
        status.on("/ops/dead-letters", exchange -> TestHttpServer.json(exchange, 200, EMPTY_PAGE));
        Map<String, String> env = Map.of("JOBPIPE_OPS_TOKEN", "from-env");

        CliRun.withEnvironment(env, "dlq", "list", "--token", "from-option", "--status-url", status.url());
        CliRun.withEnvironment(env, "dlq", "list", "--status-url", status.url());
        CliRun.of("dlq", "list", "--status-url", status.url());

        assertThat(status.received()).extracting(r -> r.header("Authorization"))
                .containsExactly("Bearer from-option", "Bearer from-env", "Bearer dev-operate-token");
    }

    @Test
    void shouldNotUseTheDevTokenForAStatusServiceElsewhere() {
        CliRun run = CliRun.of("dlq", "list", "--status-url", "http://192.0.2.10:8081");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no ops token for http://192.0.2.10:8081",
                "--token TOKEN", "JOBPIPE_OPS_TOKEN");
    }

    @Test
    void shouldUseTheEnvironmentTokenForAStatusServiceElsewhere() {
        assertThat(OpsToken.resolve(null, Map.of("JOBPIPE_OPS_TOKEN", "t")::get, "http://192.0.2.10:8081"))
                .contains(new OpsToken("t", "JOBPIPE_OPS_TOKEN"));
        assertThat(OpsToken.resolve(null, Map.<String, String>of()::get, "http://localhost:8081"))
                .contains(new OpsToken("dev-operate-token", OpsToken.DEV_SOURCE));
        assertThat(OpsToken.resolve(null, Map.<String, String>of()::get, "http://[::1]:8081")).isPresent();
    }

    @Test
    void shouldNameTheTokenSourceButNotItsValueOn401() {
        status.on("/ops/dead-letters", exchange -> TestHttpServer.respond(exchange, 401, "application/problem+json",
                "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"unknown token\"}"));

        CliRun run = CliRun.withEnvironment(Map.of("JOBPIPE_OPS_TOKEN", "s3cret-value"), "dlq", "list",
                "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("the status service did not accept the token from JOBPIPE_OPS_TOKEN",
                "Unauthorized (401): unknown token", "Pass an ops token with --token TOKEN or the JOBPIPE_OPS_TOKEN")
                .doesNotContain("s3cret-value");
    }

    @Test
    void shouldHintAtTheDevProfileWhenTheDevTokenIsRefused() {
        status.on("/ops/dead-letters", exchange -> TestHttpServer.respond(exchange, 401, "application/problem+json",
                "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"unknown token\"}"));

        CliRun run = CliRun.of("dlq", "list", "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("did not accept the dev operate token", "./jobpipe up starts status with the dev tokens")
                .doesNotContain("dev-operate-token");
    }
}
