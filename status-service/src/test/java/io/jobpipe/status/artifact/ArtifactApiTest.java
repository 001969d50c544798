package io.jobpipe.status.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.Json;
import io.jobpipe.status.SseClient;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.status.store.JobEventProjector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A job's artifacts: listed on its page from its stages' outputs, downloaded from the real workspace folder. */
class ArtifactApiTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Path workspace;
    private static StatusTestApp app;
    private static JobEventProjector projector;

    @BeforeAll
    static void start() throws Exception {
        workspace = Files.createTempDirectory("artifacts");
        app = StatusTestApp.withoutKafka("artifacts", Map.of("jobpipe.status.artifacts.root", workspace.toString()));
        projector = app.bean(JobEventProjector.class);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void shouldListTheFilesAJobsStagesWroteAndServeEachAsADownload() throws Exception {
        String report = "# Review of #41\nlooks good\n";
        project("job-art-a", write("jobs/job-art-a/pr-41/comment.md", report), write("runs/job-art-a/metrics.json", "{}"));

        JsonNode artifacts = document("job-art-a").get("artifacts");
        assertThat(artifacts).extracting(a -> a.get("name").asText()).containsExactly("pr-41/comment.md", "metrics.json");
        assertThat(artifacts.get(0).get("stage").asText()).isEqualTo("enrich");
        assertThat(artifacts.get(0).get("bytes").asLong()).isEqualTo(report.length());
        assertThat(artifacts.get(0).get("url").asText()).isEqualTo("/jobs/job-art-a/artifacts/pr-41%2Fcomment.md");

        HttpResponse<String> download = get(artifacts.get(0).get("url").asText());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(report);
        assertThat(download.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"comment.md\"");
        assertThat(download.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(download.headers().firstValue("Content-Security-Policy")).hasValue("sandbox");
        assertThat(download.headers().firstValue("ETag")).hasValue("\"" + sha256(report) + "\"");
    }

    @Test
    void shouldRefuseAFileRewrittenSinceItsStageWroteIt() throws Exception {
        project("job-art-b", write("jobs/job-art-b/out.txt", "first run"));
        Files.writeString(workspace.resolve("jobs/job-art-b/out.txt"), "someone else's run");

        HttpResponse<String> download = get("/jobs/job-art-b/artifacts/out.txt");

        assertThat(download.statusCode()).isEqualTo(409);
        assertThat(download.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Json.MAPPER.readTree(download.body()).get("actualSha256").asText()).isEqualTo(sha256("someone else's run"));
    }

    @Test
    void shouldAnswerAProblemForAMissingFileAnUnknownNameAndAFileOutsideTheJobOrWorkspace() throws Exception {
        Path outside = Files.createTempFile("secret", ".txt");
        Files.writeString(outside, "not for you");
        Files.createDirectories(workspace.resolve("jobs/job-art-c"));
        Files.createSymbolicLink(workspace.resolve("jobs/job-art-c/link.txt"), outside);
        project("job-art-c", write("jobs/job-art-c/gone.txt", "soon deleted"),
                file("jobs/job-art-c/link.txt", "not for you"),
                file("jobs/another-job/theirs.txt", "x"), file("../etc/passwd", "x"));
        Files.delete(workspace.resolve("jobs/job-art-c/gone.txt"));

        assertThat(document("job-art-c").get("artifacts")).extracting(a -> a.get("name").asText())
                .as("files of another job or outside the job's folders are not its artifacts")
                .containsExactly("gone.txt", "link.txt");
        assertProblem(get("/jobs/job-art-c/artifacts/gone.txt"), 404, "artifact-missing");
        assertProblem(get("/jobs/job-art-c/artifacts/link.txt"), 404, "artifact-missing");
        assertProblem(get("/jobs/job-art-c/artifacts/theirs.txt"), 404, "artifact-not-found");
        assertProblem(get("/jobs/job-art-c/artifacts/..%2F..%2Fetc%2Fpasswd"), 404, "artifact-not-found");
        assertProblem(get("/jobs/no-such-job/artifacts/x.txt"), 404, "job-not-found");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Json.MAPPER.readTree(response.body()).get("type").asText()).endsWith(":" + type);
    }

    /** A successful run whose enrich stage reports {@code files}. */
    private static void project(String jobId, ObjectNode... files) {
        List<JobEvent> run = new ArrayList<>(TestEvents.successfulRun(jobId, T0));
        ObjectNode output = JsonNodeFactory.instance.objectNode();
        for (ObjectNode file : files) {
            output.withArray("files").add(file);
        }
        JobEvent.StageCompleted enrich = (JobEvent.StageCompleted) run.get(8);
        run.set(8, new JobEvent.StageCompleted(enrich.eventId(), jobId, enrich.occurredAt(), enrich.seq(), "enrich", 1,
                enrich.startedAt(), 600, "wrote files", output));
        projector.project(TestEvents.incoming(run));
    }

    private static ObjectNode write(String path, String content) throws Exception {
        Path target = workspace.resolve(path);
        Files.createDirectories(target.getParent());
        Files.writeString(target, content);
        return file(path, content);
    }

    private static ObjectNode file(String path, String content) throws Exception {
        return JsonNodeFactory.instance.objectNode().put("path", path)
                .put("bytes", content.getBytes(StandardCharsets.UTF_8).length).put("sha256", sha256(content));
    }

    private static JsonNode document(String jobId) throws Exception {
        SseClient.Reply reply = SseClient.get(app.uri("/jobs/" + jobId));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return Json.MAPPER.readTree(reply.body());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(app.uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sha256(String content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
    }
}
