package io.jobpipe.runtime.supervisor;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Keeps the children of {@code ./jobpipe up} running: a child that dies without being asked to (a crash, an
 * out-of-memory kill, {@code kill -9}) is started again with the same command, so on the same data directory and
 * ports, after a {@link RestartBackoff} delay, and every step is reported as a line. The other children keep
 * running meanwhile: the services reconnect to a restarted broker or database by themselves. {@link #close()}
 * cancels pending restarts; call it before stopping the children.
 */
public final class ChildSupervisor implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private static final int SIGKILL_EXIT = 128 + 9;
    private static final int SIGTERM_EXIT = 128 + 15;

    private final Map<ManagedProcess, BooleanSupplier> children;
    private final RestartBackoff backoff;
    private final Consumer<String> report;
    private final ScheduledExecutorService scheduler;
    private final Set<ManagedProcess> pending = ConcurrentHashMap.newKeySet();
    private final Map<ManagedProcess, Integer> crashesInARow = new HashMap<>();
    private final Map<ManagedProcess, Integer> restarts = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param children each child with its readiness check (reported once a restarted child is ready again)
     * @param report   receives one line per crash, restart and recovery
     */
    public ChildSupervisor(Map<ManagedProcess, BooleanSupplier> children, RestartBackoff backoff, Duration checkEvery,
                           Consumer<String> report) {
        this.children = new LinkedHashMap<>(children);
        this.backoff = backoff;
        this.report = report;
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread thread = new Thread(r, "jobpipe-supervisor");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::check, checkEvery.toMillis(), checkEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How often each child has been restarted so far. */
    public int restarts(ManagedProcess child) {
        return restarts.getOrDefault(child, 0);
    }

    private void check() {
        for (ManagedProcess child : List.copyOf(children.keySet())) {
            if (closed || !child.diedUnexpectedly() || !pending.add(child)) {
                continue;
            }
            Instant began = child.startedAt();
            Duration uptime = began == null ? Duration.ZERO : Duration.between(began, Instant.now());
            int crashes = backoff.crashesInARow(crashesInARow.getOrDefault(child, 0), uptime);
            crashesInARow.put(child, crashes);
            Duration delay = backoff.delayFor(crashes);
            Integer code = child.exitCode();
            report.accept(String.format(Locale.ROOT, "%s exited unexpectedly (%s) after %s; restarting it in %s (crash %d in a row)",
                    child.name(), describe(code), seconds(uptime), seconds(delay), crashes));
            if (code != null && code != SIGKILL_EXIT && code != SIGTERM_EXIT) {
                report.accept("  last lines of " + child.logFile() + ":\n    " + String.join("\n    ", child.logTail(15)));
            }
            scheduler.schedule(() -> restart(child), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void restart(ManagedProcess child) {
        try {
            if (closed) {
                return;
            }
            Instant started = Instant.now();
            if (!child.restart()) {
                return;
            }
            int count = restarts.merge(child, 1, Integer::sum);
            report.accept(String.format(Locale.ROOT, "%s restarted (pid %d, restart %d)", child.name(), child.pid(), count));
            BooleanSupplier ready = children.get(child);
            if (ready != null) {
                scheduler.execute(() -> awaitReady(child, ready, started));
            }
        } catch (RuntimeException e) {
            report.accept(child.name() + " could not be restarted: " + e.getMessage() + " (will try again)");
        } finally {
            pending.remove(child);
        }
    }

    private void awaitReady(ManagedProcess child, BooleanSupplier ready, Instant started) {
        Instant deadline = started.plus(READY_TIMEOUT);
        while (!closed && child.isAlive() && Instant.now().isBefore(deadline)) {
            if (ready.getAsBoolean()) {
                report.accept(String.format(Locale.ROOT, "%s ready again in %s", child.name(),
                        seconds(Duration.between(started, Instant.now()))));
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!closed && child.isAlive()) {
            report.accept(child.name() + " restarted but not ready after " + READY_TIMEOUT.toMinutes() + " min; see " + child.logFile());
        }
    }

    private static String describe(Integer code) {
        if (code == null) {
            return "exit code unknown";
        }
        if (code > 128 && code < 160) {
            return "exit code " + code + ", killed by signal " + (code - 128);
        }
        return "exit code " + code;
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** Stops watching; restarts not yet begun are dropped. Idempotent. */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
