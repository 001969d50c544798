package io.jobpipe.e2e;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Slack's side of a slash command's delayed reply, on loopback: every POST to {@code /commands/…} (what a
 * {@code response_url} looks like) is kept by its path and answered 200, as Slack does.
 */
final class FakeSlack implements ExampleSystem.FakeService {
    /** One reply as Slack received it. */
    record Reply(String contentType, String idempotencyKey, String body) {
    }

    private final HttpServer server;
    private final Map<String, List<Reply>> replies = new ConcurrentHashMap<>();

    private FakeSlack(HttpServer server) {
        this.server = server;
    }

    static FakeSlack start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeSlack slack = new FakeSlack(server);
            server.createContext("/commands/", exchange -> {
                try (exchange) {
                    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    if (!"POST".equals(exchange.getRequestMethod())) {
                        exchange.sendResponseHeaders(405, -1);
                        return;
                    }
                    slack.replies.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new CopyOnWriteArrayList<>())
                            .add(new Reply(exchange.getRequestHeaders().getFirst("Content-Type"),
                                    exchange.getRequestHeaders().getFirst("Idempotency-Key"), body));
                    byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, ok.length);
                    exchange.getResponseBody().write(ok);
                }
            });
            server.start();
            return slack;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake Slack", e);
        }
    }

    /** {@code http://127.0.0.1:<port>}: what a reply's target (its origin) is. */
    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A command's response_url, unique by {@code secret} (in Slack, that part is a credential). */
    String responseUrl(String secret) {
        return origin() + "/commands/T0433ABCDEF/1234567890/" + secret;
    }

    /** The replies posted to {@code responseUrl}, in order. */
    List<Reply> repliesTo(String responseUrl) {
        return List.copyOf(replies.getOrDefault(java.net.URI.create(responseUrl).getPath(), List.of()));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
