package io.jobpipe.runtime.bench;

import java.io.PrintWriter;

/**
 * The bench's running commentary: one line each, prefixed with the seconds since the log was made, so the lines of
 * every phase of one run (seeding, warm-up, each load, a replay's progress) share one clock. Thread-safe.
 */
public final class BenchLog {
    private final PrintWriter out;
    private final long startNanos = System.nanoTime();

    public BenchLog(PrintWriter out) {
        this.out = out;
    }

    public void say(String line) {
        synchronized (out) {
            out.printf("[%3ds] %s%n", (System.nanoTime() - startNanos) / 1_000_000_000L, line);
            out.flush();
        }
    }

    /** Seconds since the log was made. */
    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
