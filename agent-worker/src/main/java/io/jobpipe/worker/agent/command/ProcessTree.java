package io.jobpipe.worker.agent.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A command's process and every process it started. A descendant is remembered as soon as it is seen
 * ({@link #track()}), because once its parent dies it is re-parented and no longer shows as a descendant: a
 * background child of a script that has exited is still found and killed. {@link ProcessHandle} keeps each process's
 * start time, so a recycled pid is never signalled.
 */
final class ProcessTree {
    /** How long to wait for SIGKILLed processes to go before giving up on them. */
    private static final Duration REAP_WAIT = Duration.ofSeconds(2);

    private final Process root;
    private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();
    /** An interrupt that came while {@link #kill} waited, to hand back to the caller. */
    private boolean interruptedWhileKilling;

    ProcessTree(Process root) {
        this.root = root;
    }

    /** Remembers the root's current descendants. */
    void track() {
        root.descendants().forEach(seen::add);
    }

    /**
     * Ends the whole tree: SIGTERM to every descendant, then to the process; after {@code grace}, SIGKILL to whatever
     * still runs. Returns how many processes were still alive when it began. Not interruptible: the tree must go
     * even when the caller was interrupted (the interrupt status is kept for the caller to see).
     */
    int kill(Duration grace) {
        interruptedWhileKilling = Thread.interrupted();
        try {
            track();
            List<ProcessHandle> alive = alive();
            alive.stream().filter(p -> !p.equals(root.toHandle())).forEach(ProcessHandle::destroy);
            root.destroy();
            if (!awaitExit(alive, grace)) {
                track();
                alive().forEach(ProcessHandle::destroyForcibly);
                root.destroyForcibly();
                awaitExit(alive(), REAP_WAIT);
            }
            return alive.size();
        } finally {
            if (interruptedWhileKilling) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The processes of the tree that still run, the root first when it does. */
    List<ProcessHandle> alive() {
        List<ProcessHandle> alive = new ArrayList<>();
        if (root.isAlive()) {
            alive.add(root.toHandle());
        }
        seen.stream().filter(ProcessHandle::isAlive).forEach(alive::add);
        return alive;
    }

    private boolean awaitExit(List<ProcessHandle> processes, Duration limit) {
        if (processes.isEmpty()) {
            return true;
        }
        CompletableFuture<?>[] exits = processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        long until = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                CompletableFuture.allOf(exits).get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                return true;
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                return processes.stream().noneMatch(ProcessHandle::isAlive);
            } catch (InterruptedException e) {
                // Keep waiting: kill() restores the interrupt when it is done.
                interruptedWhileKilling = true;
                if (System.nanoTime() >= until) {
                    return false;
                }
            }
        }
    }
}
