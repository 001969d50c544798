package io.jobpipe.runtime.bench;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Says the current phase's progress line on a {@link BenchLog} once a second, from a daemon thread, until closed;
 * a phase whose line is null says nothing.
 */
public final class ProgressTicker implements AutoCloseable {
    private final AtomicReference<Supplier<String>> phase = new AtomicReference<>(() -> null);
    private final ScheduledExecutorService ticker;

    public ProgressTicker(BenchLog log, String threadName) {
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(() -> {
            String line = phase.get().get();
            if (line != null) {
                log.say(line);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** From the next tick on, says what {@code line} gives. */
    public void show(Supplier<String> line) {
        phase.set(line);
    }

    /** Says nothing until the next {@link #show}. */
    public void quiet() {
        phase.set(() -> null);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
