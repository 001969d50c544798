package io.jobpipe.worker.delivery;

import io.jobpipe.agent.AgentException;
import io.jobpipe.support.net.Cidr;
import io.jobpipe.worker.outbound.LoopbackServer;
import io.jobpipe.worker.outbound.OutboundHttp;
import io.jobpipe.worker.outbound.OutboundPolicy;
import io.jobpipe.worker.outbound.TestResolvers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The notify agent's real HTTP path: the guarded outbound client, against servers on loopback. */
class OutboundWebhookTransportTest {
    private static final OutboundHttp.Limits LIMITS = new OutboundHttp.Limits(Duration.ofSeconds(2), 64 * 1024, 4);

    private final OutboundHttp loopbackAllowed = new OutboundHttp(
            new OutboundPolicy(List.of(Cidr.parse("127.0.0.0/8")), Set.of(), TestResolvers.table(Map.of())), LIMITS);
    private final OutboundHttp strict = new OutboundHttp(
            new OutboundPolicy(List.of(), Set.of(), TestResolvers.table(Map.of())), LIMITS);
    private LoopbackServer server;

    @AfterEach
    void stop() {
        loopbackAllowed.close();
        strict.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldPostTheBodyWithItsHeadersAndReturnTheStatus() throws Exception {
        server = LoopbackServer.answering(202, "");
        OutboundWebhookTransport transport = new OutboundWebhookTransport(loopbackAllowed, Duration.ofSeconds(5));

        int status = transport.post(server.url("/hook"), Map.of("webhook-signature", "v1,abc",
                "Idempotency-Key", "job_1:notify", "content-type", "application/json"),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(202);
        LoopbackServer.Received received = server.received().get(0);
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.header("webhook-signature")).isEqualTo("v1,abc");
        assertThat(received.header("Idempotency-Key")).isEqualTo("job_1:notify");
        assertThat(received.bodyText()).isEqualTo("{\"a\":1}");
    }

    @Test
    void shouldRefuseALoopbackSubscriberForGoodUnlessLoopbackIsAllowed() throws Exception {
        server = LoopbackServer.answering(200, "");
        OutboundWebhookTransport transport = new OutboundWebhookTransport(strict, Duration.ofSeconds(5));

        assertThatThrownBy(() -> transport.post(server.url("/hook/s3cret"), Map.of(), new byte[0]))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.errorType()).isEqualTo(OutboundWebhookTransport.OUTBOUND_REFUSED);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("127.0.0.1 is a loopback address").doesNotContain("s3cret");
                });
        assertThat(server.hits()).isZero();
    }

    @Test
    void shouldThrowAnIoErrorWhenNothingListens() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        OutboundWebhookTransport transport = new OutboundWebhookTransport(loopbackAllowed, Duration.ofSeconds(5));

        assertThatThrownBy(() -> transport.post(URI.create("http://127.0.0.1:" + closedPort + "/hook"), Map.of(),
                new byte[0])).isInstanceOf(IOException.class);
    }
}
