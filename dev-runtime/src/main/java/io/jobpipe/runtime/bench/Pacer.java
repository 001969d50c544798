package io.jobpipe.runtime.bench;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Fires each request of an {@link ArrivalSchedule} at its due time on the calling thread. A late fire (the
 * sender blocked on its concurrency bound) does not shift later due times: they stay on the original grid.
 */
public final class Pacer {
    /** Sends request {@code index}, due at {@code dueNanos} on the {@link System#nanoTime()} clock. */
    @FunctionalInterface
    public interface Fire {
        void fire(int index, long dueNanos) throws InterruptedException;
    }

    private final LongSupplier clock;

    public Pacer() {
        this(System::nanoTime);
    }

    Pacer(LongSupplier clock) {
        this.clock = clock;
    }

    /** Runs the whole schedule starting at {@code startNanos}; returns when the last request has been fired. */
    public void run(ArrivalSchedule schedule, long startNanos, Fire fire) throws InterruptedException {
        for (int i = 0; i < schedule.count(); i++) {
            long due = startNanos + schedule.offsetNanos(i);
            waitUntil(due);
            fire.fire(i, due);
        }
    }

    private void waitUntil(long dueNanos) throws InterruptedException {
        while (true) {
            long remaining = dueNanos - clock.getAsLong();
            if (remaining <= 0) {
                return;
            }
            LockSupport.parkNanos(remaining);
            if (Thread.interrupted()) {
                throw new InterruptedException("benchmark interrupted");
            }
        }
    }
}
