package io.jobpipe.worker.run;

import io.jobpipe.core.event.StageRequested;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches one running agent: an agent gets its stage's whole timeout from the moment it starts (not from when its
 * request was dispatched, which may have waited in the queue), and no more.
 * <ul>
 *   <li>While it runs, heartbeats tell the orchestrator so, every {@code fraction} of the timeout (and sooner when
 *       the request's own deadline is nearer than that): its attempt is not timed out under a live agent.</li>
 *   <li>When the timeout has passed since the start, the agent's thread is interrupted and the attempt is
 *       reported as timed out; whatever the agent returns after that is its late result.</li>
 * </ul>
 * Exactly one of {@link #finish} (the agent returned in time) and the timeout wins; the thread is interrupted only
 * while the agent still runs on it, never after it went on to other work.
 */
public final class AttemptWatch {
    /** errorType of an attempt whose agent ran past its stage timeout on the worker. */
    public static final String AGENT_TIMEOUT = "StageTimeout";
    /** A heartbeat is never more frequent than this, whatever the timeout and fraction. */
    static final Duration MIN_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

    /** What the watch does at its moments; called on the scheduler's thread. */
    public interface Actions {
        void heartbeat(Duration ranFor);

        void timedOut(Duration timeout);
    }

    private final Thread agentThread;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final Object interruptLock = new Object();
    private boolean agentRunning = true;
    private final ScheduledFuture<?> heartbeats;
    private final ScheduledFuture<?> deadline;

    private AttemptWatch(ScheduledExecutorService scheduler, Thread agentThread, Duration timeout,
                         Duration firstHeartbeat, Duration interval, Actions actions) {
        this.agentThread = agentThread;
        long startedNanos = System.nanoTime();
        this.heartbeats = scheduler.scheduleAtFixedRate(() -> {
            if (!settled.get()) {
                actions.heartbeat(Duration.ofNanos(System.nanoTime() - startedNanos));
            }
        }, firstHeartbeat.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        this.deadline = scheduler.schedule(() -> expire(timeout, actions), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts watching the agent about to run {@code request} on {@code agentThread}.
     *
     * @param fraction the share of the stage timeout between two heartbeats, 0 &lt; fraction &lt; 1
     */
    public static AttemptWatch start(ScheduledExecutorService scheduler, Thread agentThread, StageRequested request,
                                     Instant now, double fraction, Duration fallbackTimeout, Actions actions) {
        Duration timeout = timeoutOf(request, fallbackTimeout);
        Duration interval = max(MIN_HEARTBEAT_INTERVAL, Duration.ofMillis(Math.round(timeout.toMillis() * fraction)));
        Duration untilRequestDeadline = request.deadline() == null ? timeout : Duration.between(now, request.deadline());
        return new AttemptWatch(scheduler, agentThread, timeout, firstHeartbeat(untilRequestDeadline, interval),
                interval, actions);
    }

    /** The stage timeout the orchestrator dispatched the request with: from its dispatch to its deadline. */
    static Duration timeoutOf(StageRequested request, Duration fallback) {
        if (request.occurredAt() == null || request.deadline() == null) {
            return fallback;
        }
        Duration timeout = Duration.between(request.occurredAt(), request.deadline());
        return timeout.isNegative() || timeout.isZero() ? fallback : timeout;
    }

    /**
     * After one interval, or sooner so that it lands before the request's deadline with an interval to spare. A
     * request whose deadline has passed already gets no early one: its attempt is (or is about to be) timed out
     * at the orchestrator, where a heartbeat would only be a late result.
     */
    static Duration firstHeartbeat(Duration untilRequestDeadline, Duration interval) {
        if (untilRequestDeadline.isNegative() || untilRequestDeadline.isZero()) {
            return interval;
        }
        Duration beforeDeadline = untilRequestDeadline.minus(interval);
        if (beforeDeadline.isNegative()) {
            return Duration.ZERO;
        }
        return beforeDeadline.compareTo(interval) < 0 ? beforeDeadline : interval;
    }

    /**
     * The agent returned: stops the watch. Returns true when it returned in time; false when the timeout came
     * first (the attempt was reported timed out, and what the agent returned is a late result). Clears an interrupt
     * the timeout left on the calling (agent) thread, so it never reaches the thread's next task.
     */
    public boolean finish() {
        boolean inTime = settled.compareAndSet(false, true);
        heartbeats.cancel(false);
        deadline.cancel(false);
        synchronized (interruptLock) {
            agentRunning = false;
        }
        if (!inTime) {
            Thread.interrupted();
        }
        return inTime;
    }

    private void expire(Duration timeout, Actions actions) {
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        heartbeats.cancel(false);
        // Reported before the interrupt: an agent that stops at once then sends its result after the timeout's,
        // never before it (same producer, same key, so the order holds on the topic).
        actions.timedOut(timeout);
        synchronized (interruptLock) {
            if (agentRunning) {
                agentThread.interrupt();
            }
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
