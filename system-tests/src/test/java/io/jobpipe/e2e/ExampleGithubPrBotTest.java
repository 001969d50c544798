package io.jobpipe.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.runtime.client.WebhookSigning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 003, {@code examples/github-pr-bot}: a pull-request bot whose every run leaves artifacts (the review comment
 * and a run file) and metrics, and whose runs and stage runs export as CSV. The incident's team needed a metrics
 * table, artifacts per run and a CSV export bolted on beside the bot; here they come with every job.
 */
class ExampleGithubPrBotTest {
    private static final WebhookSigning GITHUB = WebhookSigning.of("github", "dev-github-secret");
    private static final List<String> STAGES = List.of("validate", "normalize", "enrich", "decide", "act", "record");

    @RegisterExtension
    static final ExampleSystem example = ExampleSystem.of("github-pr-bot");

    @Test
    void shouldLeaveArtifactsAndMetricsForEveryPullRequestAndExportTheRunsAsCsv() throws Exception {
        List<String> jobs = new ArrayList<>();
        for (int number = 41; number <= 43; number++) {
            jobs.add(send(pullRequest(number, "opened")));
        }

        for (int i = 0; i < jobs.size(); i++) {
            int number = 41 + i;
            JsonNode done = example.http().awaitState(jobs.get(i), "COMPLETED", Duration.ofSeconds(60));
            assertThat(done.get("stages")).extracting(s -> s.get("name").asText()).containsExactlyElementsOf(STAGES);
            JsonNode act = done.get("stages").get(STAGES.indexOf("act")).get("output");
            assertThat(act.get("files")).extracting(f -> f.get("path").asText())
                    .containsExactlyInAnyOrder("jobs/" + jobs.get(i) + "/pr-" + number + "/comment.md",
                            "jobs/" + jobs.get(i) + "/pr-" + number + "/run.json");
            Path comment = example.workspace().resolve("jobs").resolve(jobs.get(i)).resolve("pr-" + number)
                    .resolve("comment.md");
            assertThat(Files.readString(comment)).contains("### jobpipe review of #" + number + " Fix checkout bug "
                    + number, "- repository: acme/shop", "- author: octocat");
            assertThat(done.get("artifacts")).extracting(a -> a.get("name").asText())
                    .contains("pr-" + number + "/comment.md", "pr-" + number + "/run.json");
            HttpResponse<String> download = example.http().read("/jobs/" + jobs.get(i) + "/artifacts/pr-" + number
                    + "%2Fcomment.md");
            assertThat(download.statusCode()).as(download.body()).isEqualTo(200);
            assertThat(download.body()).isEqualTo(Files.readString(comment));
            JsonNode metrics = done.get("stages").get(STAGES.indexOf("record")).get("output").get("metrics");
            assertThat(metrics.get("filesWritten").asInt()).isEqualTo(2);
            assertThat(Files.exists(example.workspace().resolve("runs").resolve(jobs.get(i)).resolve("metrics.json")))
                    .isTrue();
        }

        List<String> jobsCsv = lines(example.http().read("/exports/jobs.csv?pipeline=pr-bot"));
        assertThat(jobsCsv.get(0)).startsWith("job_id,pipeline,connection,event_type");
        assertThat(jobsCsv.subList(1, jobsCsv.size())).hasSize(3)
                .allSatisfy(row -> assertThat(row).contains(",pr-bot,github,pull_request,", ",COMPLETED,"));
        List<String> stagesCsv = lines(example.http().read("/exports/stages.csv?pipeline=pr-bot&state=COMPLETED"));
        assertThat(stagesCsv.subList(1, stagesCsv.size())).hasSize(3 * STAGES.size())
                .allSatisfy(row -> assertThat(row).contains(",SUCCEEDED,1,"));
    }

    private static List<String> lines(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        return response.body().lines().toList();
    }

    private static String pullRequest(int number, String action) {
        return """
                {"action":"%2$s","number":%1$d,
                 "pull_request":{"number":%1$d,"title":"Fix checkout bug %1$d","user":{"login":"octocat"},
                                 "html_url":"https://github.com/acme/shop/pull/%1$d","labels":[{"name":"bug"}]},
                 "repository":{"full_name":"acme/shop","html_url":"https://github.com/acme/shop"},
                 "sender":{"login":"octocat"}}""".formatted(number, action);
    }

    private static String send(String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(example.ingestUrl(0) + "/webhooks/github"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        GITHUB.headers(bytes, UUID.randomUUID().toString(), "pull_request", System.currentTimeMillis() / 1000)
                .forEach(request::header);
        HttpResponse<String> answer = example.http().client().send(request.build(), HttpResponse.BodyHandlers.ofString());
        return SystemHttp.json(answer, 202).get("jobId").asText();
    }
}
