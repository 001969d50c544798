package io.jobpipe.runtime.cli;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * One progress line: on a terminal it is rewritten in place; elsewhere (a log, a pipe) a new line is printed at
 * most once a second, and the last state is always printed.
 */
final class ProgressLine {
    private static final long EVERY_NANOS = 1_000_000_000L;

    private final PrintWriter out;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private String shown;
    private String pending;
    private long shownAt;
    private int width;

    ProgressLine(PrintWriter out, boolean terminal, LongSupplier nanoTime) {
        this.out = out;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
    }

    /** On a terminal when the process has one (its output is not redirected). */
    static ProgressLine forConsole(PrintWriter out) {
        return new ProgressLine(out, System.console() != null, System::nanoTime);
    }

    void update(String line) {
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
            width = line.length();
            shown = line;
            out.flush();
            return;
        }
        long now = nanoTime.getAsLong();
        if (line.equals(shown)) {
            pending = null;
        } else if (shown == null || now - shownAt >= EVERY_NANOS) {
            print(line, now);
        } else {
            pending = line;
        }
    }

    /** Ends the line: the last state is on screen and what follows starts on a line of its own. */
    void finish() {
        if (terminal) {
            if (shown != null) {
                out.println();
            }
        } else if (pending != null && !pending.equals(shown)) {
            print(pending, nanoTime.getAsLong());
        }
        out.flush();
    }

    private void print(String line, long now) {
        out.println(line);
        out.flush();
        shown = line;
        shownAt = now;
        pending = null;
    }
}
