package io.jobpipe.runtime.bench.worker;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The slow HTTP agent of the worker bench, on loopback: reads the request, waits {@code latency} (a service that
 * takes its time, not a busy one: the wait costs no CPU), answers {@code 200 {"ok":true}}. Enough threads for every
 * request the worker may have in flight, so the server is never the bottleneck being measured.
 */
final class SlowAgentServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads;

    private SlowAgentServer(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    static SlowAgentServer start(Duration latency, int threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        server.setExecutor(pool);
        server.createContext("/work", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                Thread.sleep(latency.toMillis());
                byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        return new SlowAgentServer(server, pool);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/work";
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
