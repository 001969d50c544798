package io.jobpipe.worker.outbound;

import io.jobpipe.support.net.Cidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The outbound client's mechanics against servers on loopback (allowed here; the SSRF matrix tests refusals). */
class OutboundHttpTest {
    private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final OutboundPolicy loopbackAllowed = new OutboundPolicy(List.of(Cidr.parse("127.0.0.0/8")), Set.of(),
            TestResolvers.table(Map.of("agent.test", "127.0.0.1")));
    private final OutboundHttp http = new OutboundHttp(loopbackAllowed,
            new OutboundHttp.Limits(Duration.ofSeconds(2), 1000, 10));
    private final CountDownLatch release = new CountDownLatch(1);
    private LoopbackServer server;

    @AfterEach
    void stop() {
        release.countDown();
        http.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldPostTheBodyAndHeadersKeepingTheHostNameWhileConnectingToTheCheckedAddress() throws Exception {
        server = LoopbackServer.answering(200, "{\"ok\":true}");

        OutboundResponse response = http.post(URI.create("http://agent.test:" + server.port() + "/run?x=1"),
                Map.of("Idempotency-Key", "job_1:act", "content-type", "application/json"), BODY, TIMEOUT);

        assertThat(response.status()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
        assertThat(response.header("Content-Type")).contains("application/json");
        LoopbackServer.Received received = server.received().get(0);
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.path()).isEqualTo("/run?x=1");
        assertThat(received.header("Host")).isEqualTo("agent.test:" + server.port());
        assertThat(received.header("Idempotency-Key")).isEqualTo("job_1:act");
        assertThat(received.header("Content-Type")).startsWith("application/json");
        assertThat(received.header("User-Agent")).isEqualTo("jobpipe-agent-worker");
        assertThat(received.body()).isEqualTo(BODY);
    }

    @Test
    void shouldHandBackErrorStatusesForTheCallerToJudge() throws Exception {
        server = LoopbackServer.answering(503, "");

        assertThat(http.post(server.url("/"), Map.of(), BODY, TIMEOUT).status()).isEqualTo(503);
    }

    @Test
    void shouldFailAResponseLongerThanTheCapWhetherAnnouncedOrStreamed() throws Exception {
        String big = "x".repeat(1500);
        server = new LoopbackServer(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/announced")) {
                LoopbackServer.respond(exchange, 200, big);
            } else {
                exchange.sendResponseHeaders(200, 0);
                exchange.getResponseBody().write(big.getBytes(StandardCharsets.UTF_8));
            }
        });

        assertThatThrownBy(() -> http.post(server.url("/announced"), Map.of(), BODY, TIMEOUT))
                .isInstanceOf(OutboundTooLarge.class).hasMessageContaining("1000 bytes");
        assertThatThrownBy(() -> http.post(server.url("/streamed"), Map.of(), BODY, TIMEOUT))
                .isInstanceOf(OutboundTooLarge.class).hasMessageContaining("1000 bytes");
    }

    @Test
    void shouldGiveUpAtTheTimeout() throws Exception {
        server = new LoopbackServer(exchange -> hold(release));
        long start = System.nanoTime();

        assertThatThrownBy(() -> http.post(server.url("/slow"), Map.of(), BODY, Duration.ofMillis(300)))
                .isInstanceOf(OutboundTimeout.class).hasMessageContaining("300 ms")
                .hasMessageNotContaining("/slow");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void shouldStopWaitingAtOnceWhenItsThreadIsInterrupted() throws Exception {
        server = new LoopbackServer(exchange -> hold(release));
        AtomicReference<Thread> caller = new AtomicReference<>();
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            caller.set(Thread.currentThread());
            try {
                http.post(server.url("/slow"), Map.of(), BODY, Duration.ofSeconds(30));
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> server.hits() == 1);

        caller.get().interrupt();

        assertThat(outcome.get(2, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    }

    @Test
    void shouldReportAConnectionThatFailsAsAnIoErrorNamingOnlyTheOrigin() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> http.post(URI.create("http://127.0.0.1:" + closedPort + "/hook/s3cret"), Map.of(),
                BODY, TIMEOUT))
                .isInstanceOf(java.io.IOException.class).isNotInstanceOf(OutboundTimeout.class)
                .hasMessageStartingWith("http://127.0.0.1:" + closedPort + ": ").hasMessageNotContaining("s3cret");
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
