package io.jobpipe.worker.run;

import io.jobpipe.core.event.StageRequested;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Starts an {@link AttemptWatch} per running agent, all on one scheduler thread (a watch does nothing but send a
 * heartbeat now and then, or interrupt an agent that ran out of time).
 *
 * @param fraction        heartbeats come every {@code fraction} of the stage timeout while an agent runs
 * @param fallbackTimeout the timeout of a request that does not say its own (no dispatch time or deadline)
 */
public final class AttemptWatches implements AutoCloseable {
    private final double fraction;
    private final Duration fallbackTimeout;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor scheduler;

    public AttemptWatches(double fraction, Duration fallbackTimeout, Clock clock) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("the heartbeat fraction must be between 0 and 1, got " + fraction);
        }
        this.fraction = fraction;
        this.fallbackTimeout = fallbackTimeout;
        this.clock = clock;
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "attempt-watch");
            thread.setDaemon(true);
            return thread;
        });
        // Nearly every watch is cancelled long before it fires: drop them from the queue at once.
        scheduler.setRemoveOnCancelPolicy(true);
    }

    /** Watches the agent about to run {@code request} on the calling thread. */
    public AttemptWatch start(StageRequested request, AttemptWatch.Actions actions) {
        return AttemptWatch.start(scheduler, Thread.currentThread(), request, clock.instant(), fraction,
                fallbackTimeout, actions);
    }

    /** When an agent that starts now runs out of time: now plus its stage timeout. */
    public Instant deadlineOf(StageRequested request) {
        return clock.instant().plus(AttemptWatch.timeoutOf(request, fallbackTimeout));
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
