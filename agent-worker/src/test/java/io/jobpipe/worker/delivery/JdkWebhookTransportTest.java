package io.jobpipe.worker.delivery;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real HTTP path of the notify agent, against a server on loopback. */
class JdkWebhookTransportTest {
    private final JdkWebhookTransport transport = new JdkWebhookTransport(Duration.ofSeconds(2), Duration.ofSeconds(5));
    private final Map<String, String> received = new ConcurrentHashMap<>();
    private HttpServer server;

    private URI start(int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            received.put("method", exchange.getRequestMethod());
            exchange.getRequestHeaders().getOrDefault("webhook-signature", java.util.List.of())
                    .forEach(value -> received.put("signature", value));
            exchange.getRequestHeaders().getOrDefault("Idempotency-Key", java.util.List.of())
                    .forEach(value -> received.put("idempotency", value));
            received.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void shouldPostTheBodyWithItsHeadersAndReturnTheStatus() throws Exception {
        URI url = start(202);

        int status = transport.post(url, Map.of("webhook-signature", "v1,abc", "Idempotency-Key", "job_1:notify"),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(202);
        assertThat(received).containsEntry("method", "POST").containsEntry("signature", "v1,abc")
                .containsEntry("idempotency", "job_1:notify").containsEntry("body", "{\"a\":1}");
    }

    @Test
    void shouldReturnErrorStatusesForTheAgentToJudge() throws Exception {
        assertThat(transport.post(start(500), Map.of(), new byte[0])).isEqualTo(500);
    }

    @Test
    void shouldThrowWhenNothingListens() throws Exception {
        URI url = start(200);
        server.stop(0);
        server = null;

        assertThatThrownBy(() -> transport.post(url, Map.of(), new byte[0])).isInstanceOf(IOException.class);
    }
}
