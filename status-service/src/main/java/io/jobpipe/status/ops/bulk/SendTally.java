package io.jobpipe.status.ops.bulk;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sends of one bulk operation while their acknowledgements come back: how many Kafka took, how many failed (and
 * how many of those in a row, the sign that Kafka is down), with at most {@code window} awaiting an answer.
 */
final class SendTally {
    private final int window;
    private final Semaphore room;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger failuresInARow = new AtomicInteger();
    private final AtomicReference<String> error = new AtomicReference<>();
    private int handedOver;

    SendTally(int window) {
        this.window = window;
        this.room = new Semaphore(window);
    }

    /** Waits until fewer than {@code window} sends await their answer. */
    void awaitRoom() throws InterruptedException {
        room.acquire();
        room.release();
    }

    /** Counts {@code send} once its answer comes. */
    void track(CompletableFuture<Void> send) throws InterruptedException {
        room.acquire();
        handedOver++;
        send.whenComplete((ok, failure) -> {
            if (failure == null) {
                sent.incrementAndGet();
                failuresInARow.set(0);
            } else {
                failed.incrementAndGet();
                failuresInARow.incrementAndGet();
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                error.set(cause.getMessage());
            }
            room.release();
        });
    }

    /** Waits (up to {@code atMost}) for the answers of every send handed over. */
    void awaitAll(Duration atMost) throws InterruptedException {
        if (room.tryAcquire(window, atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            room.release(window);
        }
    }

    int handedOver() {
        return handedOver;
    }

    int sent() {
        return sent.get();
    }

    int failed() {
        return failed.get();
    }

    int failuresInARow() {
        return failuresInARow.get();
    }

    String error() {
        return error.get();
    }
}
