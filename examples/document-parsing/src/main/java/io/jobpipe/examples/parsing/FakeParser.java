package io.jobpipe.examples.parsing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seed 001's external document parser (LlamaParse in the incident), faked on loopback. {@code POST /parse} takes an
 * HTTP agent's request, answers {@code 202} at once and works in the background: a heartbeat per page to
 * {@code <callbackUrl>/heartbeat}, then the result to {@code callbackUrl}. A {@code document_url} containing
 * {@code corrupt} is answered with a non-retryable failure; a request without a {@code callbackUrl} with {@code 400}
 * (the incident's parser called back whatever URL it was given, a dead localhost included).
 * <pre>java -cp examples/document-parsing/target/fake-parser.jar:… io.jobpipe.examples.parsing.FakeParser 9300</pre>
 */
public final class FakeParser implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService work = Executors.newFixedThreadPool(4);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Duration pageTime;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger callbacksAnswered = new AtomicInteger();

    private FakeParser(HttpServer server, Duration pageTime) {
        this.server = server;
        this.pageTime = pageTime;
    }

    /** Starts on {@code 127.0.0.1:port} (0: any free port). */
    public static FakeParser start(int port, Duration pageTime) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        FakeParser parser = new FakeParser(server, pageTime);
        server.createContext("/parse", parser::parse);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return parser;
    }

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9300;
        FakeParser parser = start(port, Duration.ofMillis(300));
        System.out.println("fake parser on " + parser.url() + " (Ctrl-C stops)");
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/parse";
    }

    /** Requests answered 202. */
    public int accepted() {
        return accepted.get();
    }

    /** Results posted to a callback URL and answered 2xx by it. */
    public int callbacksAnswered() {
        return callbacksAnswered.get();
    }

    private void parse(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            String callback = request.path("callbackUrl").asText("");
            if (!"POST".equals(exchange.getRequestMethod()) || callback.isEmpty()) {
                send(exchange, 400, "{\"error\":\"POST a job with a callbackUrl\"}");
                return;
            }
            String document = request.path("payload").path("document_url").asText("");
            accepted.incrementAndGet();
            work.submit(() -> work(URI.create(callback), document));
            send(exchange, 202, "{\"queued\":true}");
        }
    }

    private void work(URI callback, String document) {
        try {
            int pages = 3;
            for (int page = 1; page <= pages; page++) {
                Thread.sleep(pageTime.toMillis());
                post(URI.create(callback + "/heartbeat"), "{\"progress\":\"page " + page + " of " + pages + "\"}");
            }
            ObjectNode result = JSON.createObjectNode();
            if (document.contains("corrupt")) {
                result.put("status", "failed").put("errorType", "UnreadableDocument")
                        .put("message", "the document at " + document + " is not a PDF").put("retryable", false);
            } else {
                result.put("status", "succeeded").put("summary", pages + " pages parsed");
                ObjectNode output = result.putObject("output");
                output.put("document", document).put("pages", pages).put("text", "Invoice 17: 3 items, 42.00 EUR");
            }
            if (post(callback, JSON.writeValueAsString(result)) / 100 == 2) {
                callbacksAnswered.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            System.err.println("fake parser: callback to " + callback.getHost() + " failed: " + e);
        }
    }

    private int post(URI uri, String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        work.shutdownNow();
    }
}
