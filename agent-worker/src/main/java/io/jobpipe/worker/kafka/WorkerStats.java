package io.jobpipe.worker.kafka;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** What the worker has done and whether its consumers are alive: the health endpoint reads it. */
public final class WorkerStats {
    public enum Phase { STARTING, RUNNING, STOPPING, STOPPED }

    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.STARTING);
    private final AtomicReference<String> lastStartupError = new AtomicReference<>();
    private final Map<String, Instant> lastPoll = new ConcurrentHashMap<>();
    private final Map<String, String> loopErrors = new ConcurrentHashMap<>();
    private final Map<String, Boolean> alive = new ConcurrentHashMap<>();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong redelivered = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong released = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong ackCommitFailures = new AtomicLong();

    public Phase phase() {
        return phase.get();
    }

    public void phase(Phase next) {
        phase.set(next);
    }

    public void startupFailed(String error) {
        lastStartupError.set(error);
    }

    public String lastStartupError() {
        return lastStartupError.get();
    }

    void loopStarted(String name) {
        alive.put(name, true);
        lastPoll.put(name, Instant.now());
    }

    void loopStopped(String name) {
        alive.put(name, false);
    }

    void polled(String name) {
        lastPoll.put(name, Instant.now());
        loopErrors.remove(name);
    }

    void loopError(String name, String error) {
        loopErrors.put(name, error);
    }

    void succeeded() {
        succeeded.incrementAndGet();
    }

    void failed() {
        failed.incrementAndGet();
    }

    void deadLettered() {
        deadLettered.incrementAndGet();
    }

    void redelivered() {
        redelivered.incrementAndGet();
    }

    void acknowledged(org.apache.kafka.clients.consumer.AcknowledgeType type) {
        switch (type) {
            case ACCEPT -> accepted.incrementAndGet();
            case RELEASE -> released.incrementAndGet();
            case REJECT -> rejected.incrementAndGet();
            default -> { }
        }
    }

    void ackCommitFailed() {
        ackCommitFailures.incrementAndGet();
    }

    public Map<String, Instant> lastPolls() {
        return Map.copyOf(lastPoll);
    }

    public Map<String, Boolean> alive() {
        return Map.copyOf(alive);
    }

    public Map<String, String> loopErrors() {
        return Map.copyOf(loopErrors);
    }

    public Map<String, Object> counters() {
        Map<String, Object> counters = new LinkedHashMap<>();
        counters.put("succeeded", succeeded.get());
        counters.put("failed", failed.get());
        counters.put("deadLettered", deadLettered.get());
        counters.put("redelivered", redelivered.get());
        counters.put("accepted", accepted.get());
        counters.put("released", released.get());
        counters.put("rejected", rejected.get());
        counters.put("ackCommitFailures", ackCommitFailures.get());
        return counters;
    }
}
