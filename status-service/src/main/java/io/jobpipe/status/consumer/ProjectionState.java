package io.jobpipe.status.consumer;

import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** What the projection consumer is doing, for {@code /health}. Written by its thread, read by anyone. */
@Singleton
public class ProjectionState {
    private volatile boolean running;
    private volatile Instant lastPollAt;
    private volatile Instant lastCommitAt;
    private volatile int assignedPartitions;
    private volatile int consecutiveFailures;
    private volatile String lastError;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();

    void running(boolean value) {
        running = value;
    }

    void polled(int partitions) {
        lastPollAt = Instant.now();
        assignedPartitions = partitions;
    }

    void committed(int newApplied, int newDuplicates, int newGaps, int newSkipped) {
        lastCommitAt = Instant.now();
        consecutiveFailures = 0;
        lastError = null;
        applied.addAndGet(newApplied);
        duplicates.addAndGet(newDuplicates);
        gaps.addAndGet(newGaps);
        skipped.addAndGet(newSkipped);
    }

    void failed(Throwable error) {
        consecutiveFailures++;
        lastError = error.getClass().getSimpleName() + ": " + error.getMessage();
    }

    public boolean running() {
        return running;
    }

    public Instant lastPollAt() {
        return lastPollAt;
    }

    public Instant lastCommitAt() {
        return lastCommitAt;
    }

    public int assignedPartitions() {
        return assignedPartitions;
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    public String lastError() {
        return lastError;
    }

    public long applied() {
        return applied.get();
    }

    public long duplicates() {
        return duplicates.get();
    }

    public long skipped() {
        return skipped.get();
    }

    public long gaps() {
        return gaps.get();
    }
}
