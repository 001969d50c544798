package io.jobpipe.worker.agent.builtin;

import io.jobpipe.worker.agent.StageCall;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.agent.AgentException;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.worker.agent.AgentRunner;
import io.jobpipe.worker.agent.AgentRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.jobpipe.worker.agent.TestRequests.JOB_ID;
import static io.jobpipe.worker.agent.TestRequests.json;
import static io.jobpipe.worker.agent.TestRequests.payload;
import static io.jobpipe.worker.agent.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActAgentTest {
    @TempDir
    Path workspaceDir;
    @TempDir
    Path outside;

    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private volatile int postStatus = 200;

    private record Post(URI url, Map<String, String> headers, String body) {
    }

    private ActAgent agent() {
        return new ActAgent(new Workspace(workspaceDir), (url, headers, body) -> {
            posts.add(new Post(url, headers, new String(body, StandardCharsets.UTF_8)));
            return postStatus;
        });
    }

    private static StageRequested withPlan(String actionsJson) {
        ObjectNode outputs = Json.MAPPER.createObjectNode();
        ObjectNode decide = outputs.putObject("decide");
        decide.putObject("plan").set("actions", json(actionsJson));
        return request("act", "shop", "webhook", json("{}"), outputs, Map.of());
    }

    private AgentOutcome.Failure failureOf(StageRequested request) {
        AgentOutcome outcome = new AgentRunner(new AgentRegistry(Map.of("act", agent()))).run(StageCall.of(request));
        assertThat(outcome).isInstanceOf(AgentOutcome.Failure.class);
        return (AgentOutcome.Failure) outcome;
    }

    @Test
    void shouldWriteThePlannedFilesIntoTheJobsFolderOfTheWorkspace() throws Exception {
        AgentOutcome outcome = agent().run(StageCall.of(withPlan("""
                [{"type":"write-file","path":"summary.md","content":"# hello\\n","rule":"r1"},
                 {"type":"write-file","path":"alerts/high.json","json":{"a":1}},
                 {"type":"notify","message":"later"}]""")));

        JsonNode output = ((AgentOutcome.Success) outcome).output();
        Path jobDir = workspaceDir.resolve("jobs").resolve(JOB_ID);
        assertThat(Files.readString(jobDir.resolve("summary.md"))).isEqualTo("# hello\n");
        assertThat(Json.MAPPER.readTree(jobDir.resolve("alerts/high.json").toFile())).isEqualTo(json("{\"a\":1}"));
        assertThat(output.path("files")).extracting(f -> f.path("path").asText())
                .containsExactly("jobs/" + JOB_ID + "/summary.md", "jobs/" + JOB_ID + "/alerts/high.json");
        assertThat(output.path("files").get(0).path("bytes").asLong()).isEqualTo(8);
        assertThat(output.path("files").get(0).path("rule").asText()).isEqualTo("r1");
        assertThat(output.path("totalBytes").asLong()).isEqualTo(8 + Files.size(jobDir.resolve("alerts/high.json")));
        assertThat(output.path("skipped").get(0).path("reason").asText()).isEqualTo("delivered by the notify stage");
        assertThat(((AgentOutcome.Success) outcome).summary()).isEqualTo(
                "wrote 2 files (" + output.path("totalBytes").asLong() + " bytes), left 1 to later stages");
    }

    /** Slack's delayed reply to a slash command: the response_url is a credential, so the output keeps its origin only. */
    @Test
    void shouldPostThePlannedJsonToItsUrlAfterTheFilesBeforeAndKeepOnlyTheOriginInTheOutput() {
        AgentOutcome outcome = agent().run(StageCall.of(withPlan("""
                [{"type":"write-file","path":"reply.md","content":"Linked"},
                 {"type":"post-json","url":"https://hooks.slack.com/commands/T1/2/s3cr3t","rule":"claim",
                  "json":{"response_type":"ephemeral","text":"Linked"}}]""")));

        JsonNode output = ((AgentOutcome.Success) outcome).output();
        assertThat(posts).hasSize(1);
        Post post = posts.get(0);
        assertThat(post.url()).hasToString("https://hooks.slack.com/commands/T1/2/s3cr3t");
        assertThat(json(post.body())).isEqualTo(json("{\"response_type\":\"ephemeral\",\"text\":\"Linked\"}"));
        assertThat(post.headers()).containsEntry("Content-Type", "application/json")
                .containsEntry("Idempotency-Key", JOB_ID + ":act:1");
        assertThat(output.path("posts").get(0).path("target").asText()).isEqualTo("https://hooks.slack.com");
        assertThat(output.path("posts").get(0).path("status").asInt()).isEqualTo(200);
        assertThat(output.path("posts").get(0).path("rule").asText()).isEqualTo("claim");
        assertThat(output.toString()).doesNotContain("s3cr3t");
        assertThat(((AgentOutcome.Success) outcome).summary()).isEqualTo("wrote 1 file (6 bytes), posted 1");
    }

    @Test
    void shouldFailAPostThatIsNotAnsweredWith2xxRetryablyNamingOnlyTheOrigin() {
        postStatus = 503;

        AgentOutcome.Failure failure = failureOf(withPlan(
                "[{\"type\":\"post-json\",\"url\":\"https://hooks.slack.com/commands/s3cr3t\",\"json\":{}}]"));

        assertThat(failure.errorType()).isEqualTo(ActAgent.POST_FAILED);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.message()).isEqualTo("post to https://hooks.slack.com answered HTTP 503").doesNotContain("s3cr3t");
    }

    @Test
    void shouldRefuseAPostWithoutAnHttpUrlOrWithoutJsonBeforePostingAnything() {
        AgentOutcome.Failure noUrl = failureOf(withPlan("[{\"type\":\"post-json\",\"url\":\"file:///etc/passwd\",\"json\":{}}]"));
        AgentOutcome.Failure noJson = failureOf(withPlan("[{\"type\":\"post-json\",\"url\":\"https://example.com/x\"}]"));

        assertThat(noUrl.errorType()).isEqualTo(ActAgent.INVALID_ACTION);
        assertThat(noUrl.retryable()).isFalse();
        assertThat(noUrl.message()).contains("must be an http(s) URL with a host");
        assertThat(noJson.errorType()).isEqualTo(ActAgent.INVALID_ACTION);
        assertThat(noJson.message()).contains("needs 'json'");
        assertThat(posts).isEmpty();
    }

    @Test
    void shouldOverwriteTheSameFilesWithTheSameBytesWhenRedelivered() throws Exception {
        StageRequested request = withPlan("[{\"type\":\"write-file\",\"path\":\"out.txt\",\"content\":\"v1\"}]");
        AgentOutcome first = agent().run(StageCall.of(request));
        Path file = workspaceDir.resolve("jobs").resolve(JOB_ID).resolve("out.txt");
        Files.writeString(file, "tampered and longer");

        AgentOutcome second = agent().run(StageCall.of(request));

        assertThat(Files.readString(file)).isEqualTo("v1");
        assertThat(second).isEqualTo(first);
        try (var files = Files.walk(workspaceDir)) {
            assertThat(files.filter(Files::isRegularFile)).containsExactly(file);
        }
    }

    @Test
    void shouldRefuseAbsolutePaths() {
        AgentOutcome.Failure failure = failureOf(withPlan("[{\"type\":\"write-file\",\"path\":\"/etc/passwd\",\"content\":\"x\"}]"));

        assertThat(failure.errorType()).isEqualTo("SandboxViolation");
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.message()).contains("/etc/passwd");
    }

    @Test
    void shouldRefuseParentDirectorySegments() {
        AgentOutcome.Failure failure = failureOf(withPlan(
                "[{\"type\":\"write-file\",\"path\":\"a/../../../escape.txt\",\"content\":\"x\"}]"));

        assertThat(failure.errorType()).isEqualTo("SandboxViolation");
        assertThat(workspaceDir.getParent().resolve("escape.txt")).doesNotExist();
    }

    @Test
    void shouldRefuseAFolderSymlinkThatLeadsOutOfTheWorkspace() throws Exception {
        Path jobDir = Files.createDirectories(workspaceDir.resolve("jobs").resolve(JOB_ID));
        Files.createSymbolicLink(jobDir.resolve("evil"), outside);

        AgentOutcome.Failure failure = failureOf(withPlan(
                "[{\"type\":\"write-file\",\"path\":\"evil/sub/stolen.txt\",\"content\":\"x\"}]"));

        assertThat(failure.errorType()).isEqualTo("SandboxViolation");
        assertThat(failure.retryable()).isFalse();
        try (var files = Files.list(outside)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void shouldRefuseAFileSymlinkThatLeadsOutOfTheWorkspace() throws Exception {
        Path target = Files.writeString(outside.resolve("secret.txt"), "keep me");
        Path jobDir = Files.createDirectories(workspaceDir.resolve("jobs").resolve(JOB_ID));
        Files.createSymbolicLink(jobDir.resolve("out.txt"), target);

        AgentOutcome.Failure failure = failureOf(withPlan("[{\"type\":\"write-file\",\"path\":\"out.txt\",\"content\":\"x\"}]"));

        assertThat(failure.errorType()).isEqualTo("SandboxViolation");
        assertThat(Files.readString(target, StandardCharsets.UTF_8)).isEqualTo("keep me");
    }

    @Test
    void shouldFailNonRetryablyOnAnUnknownActionType() {
        AgentOutcome.Failure failure = failureOf(withPlan("[{\"type\":\"launch-rocket\",\"rule\":\"r9\"}]"));

        assertThat(failure).isEqualTo(new AgentOutcome.Failure("UnsupportedAction",
                "action type 'launch-rocket' (rule 'r9') is not a built-in action; built-in actions: write-file, write-files, post-json, notify",
                false));
    }

    @Test
    void shouldRunActionsFromSettingsWhenNoStagePlannedAny() throws Exception {
        StageRequested request = request("act", "shop", "webhook", json("{}"), Json.MAPPER.createObjectNode(),
                Map.of("actions", java.util.List.of(Map.of("type", "write-file", "path", "static.txt", "content", "s"))));

        AgentOutcome outcome = agent().run(StageCall.of(request));

        assertThat(((AgentOutcome.Success) outcome).output().path("fileCount").asInt()).isEqualTo(1);
        assertThat(workspaceDir.resolve("jobs").resolve(JOB_ID).resolve("static.txt")).hasContent("s");
    }

    @Test
    void shouldRefuseAJobIdThatCannotNameAFolder() {
        assertThatThrownBy(() -> new Workspace(workspaceDir).write("jobs", "../x", "a.txt", new byte[0]))
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.errorType()).isEqualTo("SandboxViolation"));
    }

    @Test
    void shouldWriteARealPipelinePlanEndToEnd() {
        ObjectNode outputs = Json.MAPPER.createObjectNode();
        outputs.set("decide", ((AgentOutcome.Success) new DecideAgent().run(StageCall.of(request("decide", "github", "pull_request",
                payload("github-pull-request"))))).output());

        AgentOutcome outcome = agent().run(StageCall.of(request("act", "github", "pull_request", payload("github-pull-request"),
                outputs, Map.of())));

        assertThat(((AgentOutcome.Success) outcome).output().path("fileCount").asInt()).isEqualTo(3);
        assertThat(workspaceDir.resolve("jobs").resolve(JOB_ID).resolve("github/pull-request.md"))
                .content().startsWith("#42 Fix critical login timeout");
    }

    private static StageRequested patch(String mutationsJson) {
        return request("act", "demo", "patch", json("{\"id\":\"p-1\",\"patch\":{\"mutations\":" + mutationsJson + "}}"),
                Json.MAPPER.createObjectNode(), Map.of("actions", java.util.List.of(Map.of("type", "write-files",
                        "from", "payload.patch.mutations", "folder", "patches"))));
    }

    @Test
    void shouldWriteOneFilePerItemOfAListInThePayload() throws Exception {
        AgentOutcome outcome = agent().run(StageCall.of(patch("""
                [{"path":"src/app.txt","contents":"v2\\n"},{"path":"README.md","contents":"# patched"}]""")));

        Path jobDir = workspaceDir.resolve("jobs").resolve(JOB_ID).resolve("patches");
        assertThat(Files.readString(jobDir.resolve("src/app.txt"))).isEqualTo("v2\n");
        assertThat(Files.readString(jobDir.resolve("README.md"))).isEqualTo("# patched");
        assertThat(((AgentOutcome.Success) outcome).output().path("fileCount").asInt()).isEqualTo(2);
    }

    @Test
    void shouldWriteNothingWhenOneItemOfTheListWouldLeaveTheSandbox() {
        AgentOutcome.Failure failure = failureOf(patch("""
                [{"path":"ok.txt","contents":"fine"},{"path":"../../etc/passwd","contents":"root::0:0"}]"""));

        assertThat(failure.errorType()).isEqualTo(Workspace.SANDBOX_VIOLATION);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.message()).startsWith("payload.patch.mutations[1]: ");
        assertThat(workspaceDir.resolve("jobs").resolve(JOB_ID).resolve("patches").resolve("ok.txt"))
                .as("checked before any write").doesNotExist();
    }
}
