package io.jobpipe.e2e.agent;

import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentCall;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.agent.AgentProvider;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * {@code java:e2e-async}: an asynchronous agent as an external parser behaves (seed 001), run inside the worker of the
 * end-to-end test. It answers "pending" at once; on a thread of its own it then does what the payload's {@code mode}
 * says, through the attempt's callback URL:
 * <ul>
 *   <li>{@code twice}: posts its result, then posts the very same callback again (a replay);</li>
 *   <li>{@code heartbeats}: posts {@code beats} heartbeats one {@code everyMs} apart, then its result;</li>
 *   <li>{@code fail}: posts a failure that is not retryable;</li>
 *   <li>{@code silent}: never calls back.</li>
 * </ul>
 * Each status ingest answered is appended to {@code <JOBPIPE_WORKSPACE>/e2e-async/<jobId>.txt}, for the test to read.
 * Only the JDK and the SPI: the test packs this class alone into a jar for the worker's classpath.
 */
public final class AsyncCallbackAgentProvider implements AgentProvider {
    public static final String NAME = "e2e-async";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Agent create() {
        return call -> {
            if (call.callbackUrl().isEmpty()) {
                return AgentOutcome.failure("NoCallbackUrl", "the worker gave no callback URL", false);
            }
            URI url = call.callbackUrl().get();
            Thread later = new Thread(() -> callBack(call, url), "e2e-async-" + call.jobId());
            later.setDaemon(true);
            later.start();
            return AgentOutcome.pending("e2e parser queued the document");
        };
    }

    private static void callBack(AgentCall call, URI url) {
        String mode = call.payload().path("mode").asText("twice");
        String result = "{\"status\":\"succeeded\",\"output\":{\"parsedBy\":\"" + NAME + "\",\"pages\":7},"
                + "\"summary\":\"parsed 7 pages\"}";
        try {
            Thread.sleep(200);
            switch (mode) {
                case "twice" -> {
                    note(call, "result", post(url, result));
                    note(call, "replay", post(url, result));
                }
                case "heartbeats" -> {
                    int beats = call.payload().path("beats").asInt(1);
                    long everyMs = call.payload().path("everyMs").asLong(1000);
                    URI heartbeat = URI.create(url + "/heartbeat");
                    for (int i = 1; i <= beats; i++) {
                        note(call, "heartbeat", post(heartbeat, "{\"progress\":\"page " + i + " of " + beats + "\"}"));
                        Thread.sleep(everyMs);
                    }
                    note(call, "result", post(url, result));
                }
                case "silent" -> note(call, "silent", 0);
                case "fail" -> note(call, "result", post(url, "{\"status\":\"failed\",\"errorType\":\"E2eUnreadable\","
                        + "\"message\":\"page 3 is not a PDF page\",\"retryable\":false}"));
                default -> note(call, "unknown mode " + mode, 0);
            }
        } catch (Exception e) {
            note(call, "error " + e, 0);
        }
    }

    private static int post(URI url, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(15))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void note(AgentCall call, String what, int status) {
        try {
            Path dir = Path.of(System.getenv().getOrDefault("JOBPIPE_WORKSPACE", ".")).resolve(NAME);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(call.jobId() + ".txt"), what + " " + status + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
