package io.jobpipe.worker.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.support.net.Cidr;
import io.jobpipe.worker.agent.AgentRegistry;
import io.jobpipe.worker.agent.AgentRunner;
import io.jobpipe.worker.agent.StageCall;
import io.jobpipe.worker.outbound.LoopbackServer;
import io.jobpipe.worker.outbound.OutboundHttp;
import io.jobpipe.worker.outbound.OutboundPolicy;
import io.jobpipe.worker.outbound.TestResolvers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.jobpipe.worker.agent.TestRequests.JOB_ID;
import static io.jobpipe.worker.agent.TestRequests.json;
import static io.jobpipe.worker.agent.TestRequests.request;
import static io.jobpipe.worker.agent.TestRequests.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The {@code http} agent end to end through the real outbound client, against agents on loopback (allowed here). */
class HttpAgentTest {
    private static final String SECRET = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final URI CALLBACK = URI.create("https://jobpipe.example.com/callbacks/tok_abc");

    private final OutboundHttp http = new OutboundHttp(
            new OutboundPolicy(List.of(Cidr.parse("127.0.0.0/8")), Set.of(), TestResolvers.table(Map.of())),
            new OutboundHttp.Limits(Duration.ofSeconds(2), 4096, 8));
    private final AgentRunner runner = new AgentRunner(new AgentRegistry(Map.of(), Map.of(),
            Map.of(HttpAgent.KIND, HttpAgent.kind(http, Clock.systemUTC(), name -> name.equals("AGENT_SECRET") ? SECRET : null))));
    private final CountDownLatch release = new CountDownLatch(1);
    private LoopbackServer agent;

    @AfterEach
    void stop() {
        release.countDown();
        http.close();
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void shouldPostTheStageInputSignedWithItsKeysAndTakeTheJsonAnswerAsOutput() throws Exception {
        agent = LoopbackServer.answering(200, "{\"summary\":\"parsed 3 pages\",\"pages\":3}");

        AgentOutcome outcome = run(agent.url("/parse?v=2"), "{\"secretEnv\":\"AGENT_SECRET\"}", hooks(null));

        assertThat(outcome).isEqualTo(AgentOutcome.success(json("{\"summary\":\"parsed 3 pages\",\"pages\":3}"),
                "parsed 3 pages"));
        LoopbackServer.Received request = agent.received().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/parse?v=2");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        assertThat(request.header("Idempotency-Key")).isEqualTo(JOB_ID + ":parse");
        assertThat(request.header("traceparent")).isEqualTo(TRACEPARENT);
        assertThat(request.header(HttpAgent.CALLBACK_URL_HEADER)).isNull();
        new Webhook(SECRET).verify(request.bodyText(), Map.of(
                "webhook-id", List.of(request.header("webhook-id")),
                "webhook-timestamp", List.of(request.header("webhook-timestamp")),
                "webhook-signature", List.of(request.header("webhook-signature"))));
        JsonNode body = Json.MAPPER.readTree(request.body());
        assertThat(body.path("jobId").asText()).isEqualTo(JOB_ID);
        assertThat(body.path("pipeline").asText()).isEqualTo("default");
        assertThat(body.path("stage").asText()).isEqualTo("parse");
        assertThat(body.path("attempt").asInt()).isEqualTo(1);
        assertThat(body.path("connection").asText()).isEqualTo("docs");
        assertThat(body.path("eventType").asText()).isEqualTo("uploaded");
        assertThat(body.path("deliveryId").asText()).isEqualTo("delivery-1");
        assertThat(body.path("payload")).isEqualTo(json("{\"doc\":\"a.pdf\"}"));
        assertThat(body.path("outputs")).isEqualTo(json("{\"validate\":{\"ok\":true}}"));
        assertThat(body.has("callbackUrl")).isFalse();
    }

    @Test
    void shouldSendTheCallbackUrlInAsyncModeAndLeaveTheAttemptPendingOn202() throws Exception {
        agent = LoopbackServer.answering(202, "");

        AgentOutcome outcome = run(agent.url("/parse"), "{\"mode\":\"async\",\"secret\":\"inline\"}", hooks(CALLBACK));

        assertThat(outcome).isInstanceOf(AgentOutcome.Pending.class);
        LoopbackServer.Received request = agent.received().get(0);
        assertThat(request.header(HttpAgent.CALLBACK_URL_HEADER)).isEqualTo(CALLBACK.toString());
        assertThat(json(request.bodyText()).path("callbackUrl").asText()).isEqualTo(CALLBACK.toString());
    }

    @Test
    void shouldRefuseAsyncModeWithoutACallbackUrlAndSendNothing() throws Exception {
        agent = LoopbackServer.answering(202, "");

        AgentOutcome.Failure failure = (AgentOutcome.Failure) run(agent.url("/parse"),
                "{\"mode\":\"async\",\"secret\":\"inline\"}", hooks(null));

        assertThat(failure.errorType()).isEqualTo(HttpAgent.CALLBACK_UNAVAILABLE);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.message()).contains("no callback URL").contains("nothing was sent");
        assertThat(agent.hits()).isZero();
    }

    @Test
    void shouldRetryA503NoSoonerThanItsRetryAfter() throws Exception {
        agent = new LoopbackServer(exchange -> {
            exchange.getResponseHeaders().set("Retry-After", "42");
            LoopbackServer.respond(exchange, 503, "busy");
        });

        AgentOutcome.Failure failure = (AgentOutcome.Failure) run(agent.url("/parse"), "{\"secret\":\"s\"}", hooks(null));

        assertThat(failure.errorType()).isEqualTo(HttpAgentAnswers.UNAVAILABLE);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(42));
    }

    @Test
    void shouldFailForGoodOnA4xxNamingOnlyTheOrigin() throws Exception {
        agent = LoopbackServer.answering(422, "{\"error\":\"no pages\"}");

        AgentOutcome.Failure failure = (AgentOutcome.Failure) run(agent.url("/parse/s3cret"), "{\"secret\":\"s\"}",
                hooks(null));

        assertThat(failure).isEqualTo(AgentOutcome.failure(HttpAgentAnswers.REJECTED,
                "http://127.0.0.1:" + agent.port() + " answered HTTP 422: {\"error\":\"no pages\"}", false));
    }

    @Test
    void shouldFailForGoodWhenTheAnswerIsLongerThanTheCap() throws Exception {
        agent = LoopbackServer.answering(200, "{\"big\":\"" + "x".repeat(5000) + "\"}");

        AgentOutcome.Failure failure = (AgentOutcome.Failure) run(agent.url("/parse"), "{\"secret\":\"s\"}", hooks(null));

        assertThat(failure.errorType()).isEqualTo(HttpAgent.TOO_LARGE);
        assertThat(failure.retryable()).isFalse();
    }

    @Test
    void shouldRetryWhenTheAgentIsTooSlowOrUnreachable() throws Exception {
        agent = new LoopbackServer(exchange -> hold(release));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        AgentOutcome.Failure slow = (AgentOutcome.Failure) run(agent.url("/parse"),
                "{\"secret\":\"s\",\"timeout\":\"300ms\"}", hooks(null));
        AgentOutcome.Failure unreachable = (AgentOutcome.Failure) run(
                URI.create("http://127.0.0.1:" + closedPort + "/parse"), "{\"secret\":\"s\"}", hooks(null));

        assertThat(slow.errorType()).isEqualTo(HttpAgent.TIMEOUT);
        assertThat(slow.retryable()).isTrue();
        assertThat(unreachable.errorType()).isEqualTo(HttpAgent.UNREACHABLE);
        assertThat(unreachable.retryable()).isTrue();
    }

    @Test
    void shouldStopPromptlyWhenTheWorkerInterruptsTheAttempt() throws Exception {
        agent = new LoopbackServer(exchange -> hold(release));
        AtomicReference<Thread> thread = new AtomicReference<>();
        CompletableFuture<AgentOutcome> outcome = CompletableFuture.supplyAsync(() -> {
            thread.set(Thread.currentThread());
            return run(agent.url("/parse"), "{\"secret\":\"s\"}", hooks(null));
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.hits() == 1);

        thread.get().interrupt();

        AgentOutcome.Failure failure = (AgentOutcome.Failure) outcome.get(2, TimeUnit.SECONDS);
        assertThat(failure.errorType()).isEqualTo(HttpAgent.INTERRUPTED);
    }

    @Test
    void shouldFailForGoodOnSettingsItCannotUse() throws Exception {
        agent = LoopbackServer.answering(200, "{}");

        AgentOutcome noSecret = run(agent.url("/parse"), "{}", hooks(null));
        AgentOutcome unsetEnv = run(agent.url("/parse"), "{\"secretEnv\":\"NOPE\"}", hooks(null));
        AgentOutcome typo = run(agent.url("/parse"), "{\"secret\":\"s\",\"timout\":\"1s\"}", hooks(null));
        AgentOutcome badMode = run(agent.url("/parse"), "{\"secret\":\"s\",\"mode\":\"later\"}", hooks(null));

        assertThat(List.of(noSecret, unsetEnv, typo, badMode)).allSatisfy(outcome -> {
            assertThat(((AgentOutcome.Failure) outcome).errorType()).isEqualTo(HttpAgentSettings.INVALID_SETTINGS);
            assertThat(((AgentOutcome.Failure) outcome).retryable()).isFalse();
        });
        assertThat(((AgentOutcome.Failure) typo).message()).contains("'timout'");
        assertThat(agent.hits()).isZero();
    }

    @Test
    void shouldKeepEveryRequestInsideTheStageDeadline() {
        Instant now = Instant.parse("2026-03-01T10:00:00Z");
        HttpAgentSettings defaults = HttpAgentSettings.of(json("{\"secret\":\"s\"}"));
        HttpAgentSettings fiveSeconds = HttpAgentSettings.of(json("{\"secret\":\"s\",\"timeout\":\"5s\"}"));

        assertThat(HttpAgent.timeout(defaults, now, now.plusSeconds(30))).isEqualTo(Duration.ofSeconds(27));
        assertThat(HttpAgent.timeout(fiveSeconds, now, now.plusSeconds(30))).isEqualTo(Duration.ofSeconds(5));
        assertThat(HttpAgent.timeout(fiveSeconds, now, now.plusSeconds(2))).isEqualTo(Duration.ofMillis(1800));
    }

    private AgentOutcome run(URI url, String settingsJson, StageCall.Hooks hooks) {
        StageRequested request = request(JOB_ID, "parse", new AgentSpec(HttpAgent.KIND, url.toString(),
                settings(settingsJson)), "docs", "uploaded", json("{\"doc\":\"a.pdf\"}"),
                (com.fasterxml.jackson.databind.node.ObjectNode) json("{\"validate\":{\"ok\":true}}"));
        return runner.run(new StageCall(request, Instant.now().plusSeconds(30), hooks));
    }

    private static StageCall.Hooks hooks(URI callbackUrl) {
        return new StageCall.Hooks() {
            @Override
            public Optional<URI> callbackUrl() {
                return Optional.ofNullable(callbackUrl);
            }

            @Override
            public Optional<String> traceparent() {
                return Optional.of(TRACEPARENT);
            }
        };
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
