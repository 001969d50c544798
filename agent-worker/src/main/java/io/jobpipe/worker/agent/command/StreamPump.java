package io.jobpipe.worker.agent.command;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Drains one of a command's output pipes on a thread of its own (a pipe that nobody reads stalls the program once
 * its 64 KiB buffer is full), up to a byte cap. Past the cap it stops reading, closes the pipe and calls
 * {@code onOverflow} at once, so the caller can kill the program instead of letting it run on for nothing.
 */
final class StreamPump implements Runnable {
    private static final int BUFFER = 8192;

    /** Where the bytes go, on the pump's thread. */
    interface Sink {
        void write(byte[] buffer, int length);

        default void end() {
        }
    }

    private final InputStream in;
    private final long cap;
    private final Sink sink;
    private final Runnable onOverflow;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean overflowed;

    private StreamPump(InputStream in, long cap, Sink sink, Runnable onOverflow) {
        this.in = in;
        this.cap = cap;
        this.sink = sink;
        this.onOverflow = onOverflow;
    }

    static StreamPump start(String threadName, InputStream in, long cap, Sink sink, Runnable onOverflow) {
        StreamPump pump = new StreamPump(in, cap, sink, onOverflow);
        daemon(threadName, pump);
        return pump;
    }

    /** Runs {@code task} on a new daemon thread: a pump blocks in read(), which no interrupt can end. */
    static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        long total = 0;
        byte[] buffer = new byte[BUFFER];
        try (InputStream stream = in) {
            int n;
            while ((n = stream.read(buffer)) != -1) {
                if (n > cap - total) {
                    sink.write(buffer, (int) (cap - total));
                    overflowed = true;
                    onOverflow.run();
                    return;
                }
                total += n;
                sink.write(buffer, n);
            }
        } catch (IOException e) {
            // The pipe was closed under us: the process is gone, and what it wrote before that was kept.
        } finally {
            sink.end();
            done.complete(null);
        }
    }

    /** Completes when the pipe reached its end (every process holding it exited) or the cap was passed. */
    CompletableFuture<Void> done() {
        return done;
    }

    boolean overflowed() {
        return overflowed;
    }

    /** Keeps every byte (stdout: the program's JSON document). */
    static final class Bytes implements Sink {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(byte[] buffer, int length) {
            bytes.write(buffer, 0, length);
        }

        synchronized byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }

    /**
     * Cuts the bytes into lines (UTF-8, {@code \n} or {@code \r\n}) and hands each on (stderr: the attempt's log).
     * A line longer than {@value #MAX_LINE} bytes is handed on in pieces of that size.
     */
    static final class Lines implements Sink {
        static final int MAX_LINE = 4096;
        private final Consumer<String> lines;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private volatile String lastLine;

        Lines(Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public void write(byte[] buffer, int length) {
            for (int i = 0; i < length; i++) {
                if (buffer[i] == '\n') {
                    flush();
                } else {
                    line.write(buffer[i]);
                    if (line.size() >= MAX_LINE) {
                        flush();
                    }
                }
            }
        }

        @Override
        public void end() {
            if (line.size() > 0) {
                flush();
            }
        }

        /** The last line that was not blank, or null. */
        String lastLine() {
            return lastLine;
        }

        private void flush() {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            if (!text.isBlank()) {
                lastLine = text;
            }
            lines.accept(text);
        }
    }
}
