package io.jobpipe.runtime.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class DlqListCommandTest {
    private final TestHttpServer status = TestHttpServer.start();

    @AfterEach
    void stop() {
        status.close();
    }

    @Test
    void shouldListDeadLettersAsATableAndSendTheFiltersInTheQuery() {
        status.on("/ops/dead-letters", exchange -> TestHttpServer.json(exchange, 200, """
                {"items":[
                  {"jobId":"job_a","pipeline":"default","connection":"github","eventType":"push","stage":"enrich",
                   "errorClass":"Timeout","errorMessage":"no answer","attempts":5,
                   "deadLetteredAt":"2025-11-20T10:00:05Z","replays":0,"parked":false},
                  {"jobId":"job_b","pipeline":"default","connection":"github","eventType":"push","stage":"enrich",
                   "errorClass":"Timeout","errorMessage":"no answer","attempts":5,
                   "deadLetteredAt":"2025-11-20T10:01:05Z","replays":2,"parked":true}],
                 "next":"c-2"}"""));

        CliRun run = CliRun.of("dlq", "list", "--stage", "enrich", "--error-class", "Timeout", "--connection", "github",
                "--pipeline", "default", "--since", "2025-11-20T09:00:00Z", "--until", "2025-11-20T11:00:00Z",
                "--limit", "2", "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        TestHttpServer.Received request = status.received().get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.uri()).isEqualTo("/ops/dead-letters?stage=enrich&errorClass=Timeout&connection=github"
                + "&pipeline=default&since=2025-11-20T09%3A00%3A00Z&until=2025-11-20T11%3A00%3A00Z&limit=2");
        assertThat(request.header("Authorization")).isEqualTo("Bearer dev-operate-token");
        String[] lines = run.out().split("\n");
        assertThat(lines[0]).startsWith("JOB").contains("STAGE", "ERROR CLASS", "ATTEMPTS", "DEAD-LETTERED", "REPLAYS", "PARKED");
        assertThat(lines[1]).startsWith("job_a").contains("enrich", "Timeout", "5", "2025-11-20", "no");
        assertThat(lines[2]).startsWith("job_b").contains("yes");
        assertThat(lines[1].indexOf("Timeout")).isEqualTo(lines[2].indexOf("Timeout"));
        assertThat(run.out()).contains("2 dead letters; more: add --cursor c-2 (or --all)");
    }

    @Test
    void shouldTakeSinceAsADurationAgo() {
        status.on("/ops/dead-letters", exchange -> TestHttpServer.json(exchange, 200, "{\"items\":[],\"next\":null}"));
        Instant before = Instant.now();

        CliRun run = CliRun.of("dlq", "list", "--since", "1h", "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        Matcher since = Pattern.compile("since=([^&]+)").matcher(status.received().get(0).uri());
        assertThat(since.find()).isTrue();
        Instant sent = Instant.parse(since.group(1).replace("%3A", ":"));
        assertThat(sent).isBetween(before.minus(Duration.ofHours(1)).minusSeconds(1), Instant.now().minus(Duration.ofHours(1)));
        assertThat(run.out()).isEqualTo("no dead letters match\n");
    }

    @Test
    void shouldFollowTheCursorToTheEndWithAll() {
        status.on("/ops/dead-letters", exchange -> {
            boolean second = exchange.getRequestURI().getQuery().contains("cursor=c-2");
            TestHttpServer.json(exchange, 200, second
                    ? "{\"items\":[{\"jobId\":\"job_c\",\"stage\":\"notify\",\"attempts\":3}],\"next\":null}"
                    : "{\"items\":[{\"jobId\":\"job_a\",\"stage\":\"enrich\"},{\"jobId\":\"job_b\",\"stage\":\"enrich\"}],\"next\":\"c-2\"}");
        });

        CliRun run = CliRun.of("dlq", "list", "--all", "--limit", "2", "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(status.received()).extracting(TestHttpServer.Received::uri)
                .containsExactly("/ops/dead-letters?limit=2", "/ops/dead-letters?limit=2&cursor=c-2");
        assertThat(run.out()).contains("job_a", "job_b", "job_c", "3 dead letters\n").doesNotContain("more:");
    }

    @Test
    void shouldPrintTheJsonOfAllPagesWithJson() {
        status.on("/ops/dead-letters", exchange -> {
            boolean second = exchange.getRequestURI().getQuery().contains("cursor=c-2");
            TestHttpServer.json(exchange, 200, second ? "{\"items\":[{\"jobId\":\"job_b\"}],\"next\":null}"
                    : "{\"items\":[{\"jobId\":\"job_a\"}],\"next\":\"c-2\"}");
        });

        CliRun run = CliRun.of("dlq", "list", "--all", "--json", "--status-url", status.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().replaceAll("\\s", "")).isEqualTo("{\"items\":[{\"jobId\":\"job_a\"},{\"jobId\":\"job_b\"}],\"next\":null}");
    }

    @Test
    void shouldShowTheProblemDetailAndExitOneWhenTheServiceRefuses() {
        status.on("/ops/dead-letters", exchange -> TestHttpServer.respond(exchange, 400, "application/problem+json",
                "{\"title\":\"Bad Request\",\"status\":400,\"detail\":\"unknown stage 'enrch'\"}"));

        CliRun run = CliRun.of("dlq", "list", "--stage", "enrch", "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("cannot list dead letters: Bad Request (400): unknown stage 'enrch'");
    }

    @Test
    void shouldRejectASinceThatIsNeitherAnInstantNorADuration() {
        CliRun run = CliRun.of("dlq", "list", "--since", "yesterday", "--status-url", status.url());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'yesterday' is neither an instant");
        assertThat(status.received()).isEmpty();
    }
}
