package io.jobpipe.worker.outbound;

import com.sun.net.httpserver.HttpExchange;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.support.net.Cidr;
import io.jobpipe.worker.agent.AgentRegistry;
import io.jobpipe.worker.agent.AgentRunner;
import io.jobpipe.worker.agent.StageCall;
import io.jobpipe.worker.agent.TestRequests;
import io.jobpipe.worker.agent.http.HttpAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SSRF matrix through the real outbound client and the real HTTP agent: a canary HTTP server on 127.0.0.1 counts
 * every request it gets, and every spelling of an address inside the machine or its networks is refused, before any
 * socket, with a {@link OutboundRefused} (the agent: a non-retryable {@code OutboundRefused} failure); the canary's
 * count stays 0. With loopback allowed, the same canary is reached.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SsrfMatrixTest {
    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Names for the test resolver: one resolves to the canary, one is a server allowed by name, two go inside. */
    static final Map<String, String> NAMES = Map.of(
            "canary.test", "127.0.0.1",
            "redirector.test", "127.0.0.1",
            "private.test", "10.20.30.40",
            "metadata.test", "169.254.169.254");

    static LoopbackServer canary;
    static LoopbackServer redirector;

    @BeforeAll
    static void startServers() throws Exception {
        canary = LoopbackServer.answering(200, "{\"canary\":\"reached\"}");
        redirector = new LoopbackServer(SsrfMatrixTest::redirectToCanary);
    }

    @AfterAll
    static void stopServers() {
        canary.close();
        redirector.close();
    }

    private static void redirectToCanary(HttpExchange exchange) throws java.io.IOException {
        exchange.getResponseHeaders().set("Location", canary.url("/latest/meta-data/").toString());
        exchange.sendResponseHeaders(302, -1);
    }

    /** Every spelling of a forbidden target: {@code %d} is the canary's port. */
    static Stream<String> forbiddenUrls() {
        return Stream.of(
                "http://127.0.0.1:%d/",
                "http://127.0.0.2:%d/",
                "http://canary.test:%d/",
                "http://2130706433:%d/",
                "http://0x7f000001:%d/",
                "http://127.1:%d/",
                "http://0177.0.0.1:%d/",
                "http://[::ffff:127.0.0.1]:%d/",
                "http://[::1]:%d/",
                "http://0.0.0.0:%d/",
                "http://0.1.2.3:%d/",
                "http://10.0.0.1:%d/",
                "http://172.16.5.4:%d/",
                "http://192.168.1.1:%d/",
                "http://100.64.0.1:%d/",
                "http://169.254.169.254:%d/",
                "http://169.254.1.1:%d/",
                "http://[fd00::1]:%d/",
                "http://[fe80::1]:%d/",
                "http://[::ffff:169.254.169.254]:%d/",
                "http://[::ffff:10.0.0.1]:%d/",
                "http://private.test:%d/",
                "http://metadata.test:%d/",
                "https://127.0.0.1:%d/");
    }

    /** The client of a worker whose configuration allows nothing but the redirector, by name. */
    private static OutboundHttp strictClient() {
        return new OutboundHttp(new OutboundPolicy(List.of(), Set.of("redirector.test"), TestResolvers.table(NAMES)),
                new OutboundHttp.Limits(Duration.ofSeconds(2), 64 * 1024, 4));
    }

    @Order(1)
    @ParameterizedTest
    @MethodSource("forbiddenUrls")
    void shouldRefuseEverySpellingOfAForbiddenAddressWithoutTouchingTheCanary(String template) {
        URI url = URI.create(template.formatted(canary.port()) + "secret-path?token=s3cret");
        try (OutboundHttp http = strictClient()) {
            assertThatThrownBy(() -> http.post(url, Map.of(), BODY, TIMEOUT))
                    .isInstanceOf(OutboundRefused.class)
                    .hasMessageNotContaining("secret-path").hasMessageNotContaining("s3cret");
            assertRefusedByTheAgent(http, url);
        }
        assertThat(canary.hits()).as("requests that reached the canary").isZero();
    }

    /** The real HTTP agent, as a stage bound to {@code http:<url>} runs it. */
    private static AgentOutcome runAgent(OutboundHttp http, URI url) {
        AgentRunner runner = new AgentRunner(new AgentRegistry(Map.of(), Map.of(),
                Map.of(HttpAgent.KIND, HttpAgent.kind(http, Clock.systemUTC(), name -> null))));
        StageRequested request = TestRequests.request(TestRequests.JOB_ID, "fetch",
                new AgentSpec(HttpAgent.KIND, url.toString(), Map.of("secret", "s")), "demo", "push",
                TestRequests.json("{}"), Json.MAPPER.createObjectNode());
        return runner.run(new StageCall(request, Instant.now().plusSeconds(10), StageCall.Hooks.NONE));
    }

    private static void assertRefusedByTheAgent(OutboundHttp http, URI url) {
        assertThat(runAgent(http, url)).isInstanceOfSatisfying(AgentOutcome.Failure.class, failure -> {
            assertThat(failure.errorType()).isEqualTo(HttpAgent.OUTBOUND_REFUSED);
            assertThat(failure.retryable()).isFalse();
            assertThat(failure.message()).doesNotContain("secret-path").doesNotContain("s3cret");
        });
    }

    @Order(2)
    @Test
    void shouldRefuseARedirectFromAnAllowedServerToTheCanary() {
        try (OutboundHttp http = strictClient()) {
            assertThatThrownBy(() -> http.post(URI.create("http://redirector.test:" + redirector.port() + "/hook"),
                    Map.of(), BODY, TIMEOUT))
                    .isInstanceOf(OutboundRefused.class)
                    .hasMessageContaining("answered HTTP 302 (a redirect to http://127.0.0.1:" + canary.port() + ")")
                    .hasMessageContaining("redirects are not followed")
                    .hasMessageNotContaining("meta-data");
            assertRefusedByTheAgent(http, URI.create("http://redirector.test:" + redirector.port() + "/hook"));
        }
        assertThat(redirector.hits()).isPositive();
        assertThat(canary.hits()).isZero();
    }

    /** Runs last: the canary's count is 0 until here. */
    @Order(3)
    @Test
    void shouldReachTheCanaryOnceLoopbackIsAllowed() throws Exception {
        OutboundPolicy dev = new OutboundPolicy(List.of(Cidr.parse("127.0.0.0/8")), Set.of(), TestResolvers.table(NAMES));
        try (OutboundHttp http = new OutboundHttp(dev, new OutboundHttp.Limits(Duration.ofSeconds(2), 64 * 1024, 4))) {
            assertThat(http.post(canary.url("/"), Map.of(), BODY, TIMEOUT).status()).isEqualTo(200);
            assertThat(http.post(URI.create("http://canary.test:" + canary.port() + "/"), Map.of(), BODY, TIMEOUT)
                    .status()).isEqualTo(200);
            assertThat(runAgent(http, canary.url("/"))).isInstanceOf(AgentOutcome.Success.class);
        }
        assertThat(canary.hits()).isEqualTo(3);
    }
}
