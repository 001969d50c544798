package io.jobpipe.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.agent.AgentProvider;
import io.jobpipe.core.event.Json;
import io.jobpipe.e2e.agent.AsyncCallbackAgentProvider;
import io.jobpipe.runtime.infra.FreePorts;
import io.jobpipe.runtime.supervisor.JobpipeRuntime;
import io.jobpipe.runtime.supervisor.RuntimeOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Seed 001 through the whole system as {@code ./jobpipe up} runs it: a stage whose agent ({@code java:e2e-async}, a
 * user's jar in {@code <data-dir>/agents}) answers "pending" and posts its result later to the callback URL the
 * worker minted, on ingest. The job completes; the same callback posted again changes nothing; heartbeats through the
 * callback keep the stage alive well past its 4 s timeout (twice over), and without them it times out.
 */
class AsyncCallbackTest {
    private static final String PIPELINES = """
            pipelines:
              async-docs:
                description: an external parser that answers through a callback, then record
                stages:
                  - name: parse
                    agent: java:e2e-async
                    timeout: 4s   # heartbeats come every second: a loaded machine has 3 s of slack
                    retry:
                      maximumAttempts: 1
                  - name: record
                    agent: builtin:record
            routes:
              - connection: demo
                eventType: "*"
                pipeline: async-docs
            """;

    @TempDir
    static Path dataDir;
    private static JobpipeRuntime runtime;
    private static SystemHttp http;

    @BeforeAll
    static void startSystemWithTheAsyncAgent() throws Exception {
        packAgentJar(JobpipeRuntime.agentsDir(dataDir).resolve("e2e-async.jar"));
        Path pipelines = Files.writeString(dataDir.resolve("async-pipelines.yaml"), PIPELINES);
        RuntimeOptions options = new RuntimeOptions(EndToEndTest.repositoryRoot(), dataDir, FreePorts.next(),
                FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next(),
                FreePorts.next(), 2, pipelines.toString(), "-Xms32m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        runtime = JobpipeRuntime.start(options, line -> System.out.println("[callbacks] " + line));
        http = new SystemHttp(runtime.options());
    }

    @AfterAll
    static void stopSystem() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void shouldCompleteAJobWhoseAgentPostsItsResultLaterAndIgnoreTheSameCallbackPostedAgain() throws Exception {
        String jobId = http.postDemo("document", "{\"mode\":\"twice\",\"document\":\"invoice.pdf\"}");

        JsonNode done = http.awaitState(jobId, "COMPLETED", Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(() -> agentSaw(jobId).contains("replay 202"));
        assertThat(agentSaw(jobId)).containsExactly("result 202", "replay 202");
        JsonNode parse = done.path("stages").get(0);
        assertThat(parse.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(parse.path("attempts").asInt()).isEqualTo(1);
        assertThat(parse.path("summary").asText()).isEqualTo("parsed 7 pages");
        assertThat(parse.path("output").path("parsedBy").asText()).isEqualTo(AsyncCallbackAgentProvider.NAME);
        assertThat(done.path("stages").get(1).path("status").asText()).isEqualTo("SUCCEEDED");

        // The replay reached the orchestrator (ingest answered 202) and was recorded as late, and nothing else.
        List<JsonNode> history = awaitHistory(jobId, events -> events.stream().anyMatch(e -> isLateSuccess(e)));
        assertThat(history).filteredOn(e -> e.path("type").asText().equals("StageCompleted"))
                .extracting(e -> e.path("stage").asText()).containsExactly("parse", "record");
        assertThat(history).filteredOn(e -> e.path("type").asText().equals("JobCompleted")).hasSize(1);
        assertThat(history).filteredOn(AsyncCallbackTest::isLateSuccess).singleElement()
                .satisfies(late -> assertThat(late.path("attempt").asInt()).isEqualTo(1));
        assertThat(history).extracting(e -> e.path("type").asText())
                .doesNotContain("StageAttemptFailed", "JobFailed", "JobDeadLettered");
    }

    @Test
    void shouldKeepAStageAlivePastItsTimeoutWhileTheAgentHeartbeatsThroughItsCallback() throws Exception {
        String jobId = http.postDemo("document", "{\"mode\":\"heartbeats\",\"beats\":8,\"everyMs\":1000}");

        JsonNode done = http.awaitState(jobId, "COMPLETED", Duration.ofSeconds(60));

        assertThat(agentSaw(jobId)).containsExactly("heartbeat 202", "heartbeat 202", "heartbeat 202",
                "heartbeat 202", "heartbeat 202", "heartbeat 202", "heartbeat 202", "heartbeat 202", "result 202");
        JsonNode parse = done.path("stages").get(0);
        assertThat(parse.path("attempts").asInt()).isEqualTo(1);
        assertThat(parse.path("durationMs").asLong()).as("well past the stage's 4 s timeout").isGreaterThan(7_000);
        assertThat(history(jobId)).extracting(e -> e.path("type").asText())
                .doesNotContain("StageAttemptFailed", "LateResultIgnored");
    }

    @Test
    void shouldTimeOutTheSameStageWhenTheAgentNeitherCallsBackNorHeartbeats() throws Exception {
        String jobId = http.postDemo("document", "{\"mode\":\"silent\"}");

        JsonNode dead = http.awaitState(jobId, "DEAD_LETTERED", Duration.ofSeconds(60));

        assertThat(dead.path("error").asText()).contains("StageTimeout");
        assertThat(dead.path("stages").get(0).path("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void shouldFailTheJobAtOnceWhenTheAgentsServiceReportsANonRetryableFailure() throws Exception {
        String jobId = http.postDemo("document", "{\"mode\":\"fail\"}");

        JsonNode failed = http.awaitState(jobId, "FAILED", Duration.ofSeconds(60));

        assertThat(failed.path("error").asText()).contains("page 3 is not a PDF page");
        assertThat(failed.path("stages").get(0).path("attempts").asInt()).isEqualTo(1);
    }

    private static boolean isLateSuccess(JsonNode event) {
        return event.path("type").asText().equals("LateResultIgnored")
                && event.path("resultType").asText().equals("StageSucceeded");
    }

    /** The job's whole history (the stream of a finished job ends after its last event), once {@code until} holds. */
    private static List<JsonNode> awaitHistory(String jobId, java.util.function.Predicate<List<JsonNode>> until) {
        @SuppressWarnings("unchecked") List<JsonNode>[] last = new List[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            last[0] = history(jobId);
            return until.test(last[0]);
        });
        return last[0];
    }

    private static List<JsonNode> history(String jobId) throws Exception {
        return SseClient.readUntilClosed(http.client(), runtime.options().statusUrl() + "/jobs/" + jobId + "/events",
                null, Duration.ofSeconds(30)).stream().map(event -> read(event.data())).toList();
    }

    /** What the agent's thread saw ingest answer, one line per post. */
    private static List<String> agentSaw(String jobId) throws IOException {
        Path file = dataDir.resolve("workspace").resolve(AsyncCallbackAgentProvider.NAME).resolve(jobId + ".txt");
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    /**
     * A user's agent jar as it would ship: the provider's classes (compiled with this module's tests) and its
     * {@code META-INF/services} entry. The worker finds it on its classpath through {@code <data-dir>/agents/*}.
     */
    private static void packAgentJar(Path jar) throws IOException, URISyntaxException {
        Path classes = Path.of(AsyncCallbackAgentProvider.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI());
        String packagePath = AsyncCallbackAgentProvider.class.getPackageName().replace('.', '/');
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out);
             Stream<Path> files = Files.list(classes.resolve(packagePath))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                jarOut.putNextEntry(new JarEntry(packagePath + "/" + file.getFileName()));
                jarOut.write(Files.readAllBytes(file));
                jarOut.closeEntry();
            }
            jarOut.putNextEntry(new JarEntry("META-INF/services/" + AgentProvider.class.getName()));
            jarOut.write((AsyncCallbackAgentProvider.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            jarOut.closeEntry();
        }
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }
}
