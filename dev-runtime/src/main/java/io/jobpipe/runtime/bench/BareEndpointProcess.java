package io.jobpipe.runtime.bench;

import io.jobpipe.runtime.bench.bare.BareEndpoint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The bare Micronaut endpoint in its own JVM, started from the bench's own class path. A separate JVM, like each
 * service under {@code ./jobpipe up}: it pays for its own JIT and GC, and the bench's client threads do not share its
 * heap or safepoints. It stops when the bench closes it (or dies: its stdin closes with the bench).
 */
public final class BareEndpointProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private BareEndpointProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static BareEndpointProcess start(List<String> javaOptions, Duration startTimeout) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BareEndpoint.class.getName());
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the bare Micronaut endpoint: " + e.getMessage(), e);
        }
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith(BareEndpoint.READY_PREFIX)) {
                        ready.complete(Integer.parseInt(line.substring(BareEndpoint.READY_PREFIX.length()).strip()));
                    } else if (!ready.isDone() && output.length() < 4000) {
                        output.append(line).append('\n');
                    }
                }
            } catch (IOException | RuntimeException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("exited before listening"));
        }, "bare-endpoint-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new BareEndpointProcess(process, ready.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while the bare endpoint started", e);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the bare Micronaut endpoint did not start within " + startTimeout
                    + ": " + e + "\n" + output, e);
        }
    }

    public URI webhookUri(String connection) {
        return URI.create("http://127.0.0.1:" + port + "/webhooks/" + connection);
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, 5, 5);
    }
}
