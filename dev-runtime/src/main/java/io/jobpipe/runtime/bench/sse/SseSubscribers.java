package io.jobpipe.runtime.bench.sse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many SSE subscribers on one selector thread: each a plain socket sending {@code GET /jobs/{id}/events} and reading
 * the answer, so 10,000 of them cost the bench a few MB and no threads. Each {@code data:} line's {@code occurredAt}
 * gives the event's latency (now minus the time the bench stamped just before producing it). A subscriber whose job
 * completed closes its socket. The bench's own memory is not what is measured: status-service's is.
 */
final class SseSubscribers implements AutoCloseable {
    private static final Pattern OCCURRED_AT = Pattern.compile("\"occurredAt\":\\s*\"([^\"]+)\"");
    private static final Pattern SEQ = Pattern.compile("\"seq\":\\s*(\\d+)");

    /** What a subscriber saw: the number of data lines, and whether its job's stream is done. */
    static final class Subscriber {
        final String jobId;
        final long openedNanos = System.nanoTime();
        final StringBuilder pending = new StringBuilder();
        volatile int events;
        volatile boolean firstBytes;
        volatile boolean done;
        volatile boolean failed;
        volatile String failure;
        long lastSeq;
        String lastType = "";

        Subscriber(String jobId) {
            this.jobId = jobId;
        }
    }

    private final InetSocketAddress server;
    private final Selector selector;
    private final Thread thread;
    private final Queue<Subscriber> toOpen = new ConcurrentLinkedQueue<>();
    private final LatencyRecorder latencies;
    /** The first event of each stream alone: it also waits for the stream's request, so it is reported apart. */
    final LatencyRecorder firstEvents = new LatencyRecorder();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicLong outOfOrder = new AtomicLong();
    private volatile boolean running = true;

    SseSubscribers(InetSocketAddress server, LatencyRecorder latencies) throws IOException {
        this.server = server;
        this.latencies = latencies;
        this.selector = Selector.open();
        this.thread = new Thread(this::loop, "sse-subscribers");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    Subscriber subscribe(String jobId) {
        Subscriber subscriber = new Subscriber(jobId);
        toOpen.add(subscriber);
        selector.wakeup();
        return subscriber;
    }

    private void loop() {
        while (running) {
            try {
                selector.select(100);
                Subscriber next;
                while ((next = toOpen.poll()) != null) {
                    connect(next);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void connect(Subscriber subscriber) {
        try {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.connect(server);
            channel.register(selector, SelectionKey.OP_CONNECT, subscriber);
            open.incrementAndGet();
        } catch (IOException e) {
            fail(subscriber, null, "connect: " + e.getMessage());
        }
    }

    private void handle(SelectionKey key) {
        Subscriber subscriber = (Subscriber) key.attachment();
        SocketChannel channel = (SocketChannel) key.channel();
        try {
            if (key.isConnectable()) {
                channel.finishConnect();
                String request = "GET /jobs/" + subscriber.jobId + "/events HTTP/1.1\r\nHost: " + server.getHostString()
                        + "\r\nAccept: text/event-stream\r\n\r\n";
                channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
                key.interestOps(SelectionKey.OP_READ);
                return;
            }
            buffer.clear();
            int read = channel.read(buffer);
            if (read < 0) {
                if (!subscriber.done) {
                    fail(subscriber, key, "closed by the server after " + subscriber.events + " events");
                } else {
                    close(key);
                }
                return;
            }
            buffer.flip();
            subscriber.firstBytes = true;
            subscriber.pending.append(StandardCharsets.UTF_8.decode(buffer));
            lines(subscriber, key);
        } catch (IOException e) {
            fail(subscriber, key, "I/O: " + e.getMessage());
        }
    }

    /** Complete lines only; the rest waits for the next read. Chunk-size lines and headers are not data lines. */
    private void lines(Subscriber subscriber, SelectionKey key) {
        StringBuilder text = subscriber.pending;
        int start = 0;
        int newline;
        long now = System.currentTimeMillis();
        while ((newline = text.indexOf("\n", start)) >= 0) {
            String line = text.substring(start, newline);
            start = newline + 1;
            if (line.startsWith("HTTP/1.1 ") && !line.startsWith("HTTP/1.1 200")) {
                fail(subscriber, key, line.trim());
                return;
            }
            if (line.startsWith("event: ")) {
                subscriber.lastType = line.substring(7).trim();
                continue;
            }
            if (!line.startsWith("data: ")) {
                continue;
            }
            subscriber.events++;
            Matcher at = OCCURRED_AT.matcher(line);
            if (at.find()) {
                long latency = now - Instant.parse(at.group(1)).toEpochMilli();
                latencies.record(latency);
                if (subscriber.events == 1) {
                    firstEvents.record(latency);
                }
            }
            Matcher seq = SEQ.matcher(line);
            if (seq.find()) {
                long value = Long.parseLong(seq.group(1));
                if (value != subscriber.lastSeq + 1) {
                    outOfOrder.incrementAndGet();
                }
                subscriber.lastSeq = value;
            }
            if (subscriber.lastType.equals("JobCompleted")) {
                subscriber.done = true;
                close(key);
                return;
            }
        }
        text.delete(0, start);
    }

    private void fail(Subscriber subscriber, SelectionKey key, String why) {
        subscriber.failure = why;
        subscriber.failed = true;
        failures.incrementAndGet();
        if (key != null) {
            close(key);
        }
    }

    private void close(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // closing: nothing to do about it
        }
        open.decrementAndGet();
    }

    /** Closes every open subscriber (and stops the selector). */
    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<SelectionKey> keys = new ArrayList<>(selector.keys());
        for (SelectionKey key : keys) {
            key.channel().close();
        }
        selector.close();
    }
}
