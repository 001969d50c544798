package io.jobpipe.worker.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.AcknowledgeType;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the worker has done and whether its consumers are alive: the health endpoint reads it, and its counts are
 * the worker's Prometheus meters, so health and {@code /metrics} never disagree:
 * <ul>
 *   <li>{@code jobpipe_worker_stage_attempts_total{stage, outcome}}: agent runs, {@code outcome} one of
 *       {@code succeeded}, {@code failed_retryable}, {@code failed_permanent};</li>
 *   <li>{@code jobpipe_worker_agent_duration_seconds{stage}}: histogram of agent run times;</li>
 *   <li>{@code jobpipe_worker_acknowledgements_total{type}}: share-group acknowledgements, {@code ACCEPT}, {@code RELEASE}
 *       or {@code REJECT};</li>
 *   <li>{@code jobpipe_worker_records_in_flight}: records acquired from the share group and not yet acknowledged;</li>
 *   <li>{@code jobpipe_worker_redeliveries_total}, {@code jobpipe_worker_unreadable_records_total{stage}} (sent to the
 *       poison topic), {@code jobpipe_worker_acknowledgement_commit_failures_total};</li>
 *   <li>{@code jobpipe_worker_heartbeats_total{stage}} (sent for agents still running) and
 *       {@code jobpipe_worker_agents_overdue_total{stage}} (interrupted at their stage timeout);</li>
 *   <li>{@code jobpipe_worker_lock_renewals_total{stage}}: share-group acquisition locks renewed (RENEW) for records
 *       whose agents still ran, or waited for an agent thread, when half of the lock was gone.</li>
 * </ul>
 * The {@code stage} label comes from the topic a record was read from, one of the catalog's stages.
 */
public final class WorkerStats {
    public enum Phase { STARTING, RUNNING, STOPPING, STOPPED }

    /** How a stage attempt ended, as the {@code outcome} label says it. */
    public enum Outcome {
        SUCCEEDED("succeeded"), FAILED_RETRYABLE("failed_retryable"), FAILED_PERMANENT("failed_permanent"),
        /** The agent's service took the work; its callback brings the result. */
        PENDING("pending");

        final String label;

        Outcome(String label) {
            this.label = label;
        }
    }

    static final String STAGE_ATTEMPTS = "jobpipe.worker.stage.attempts";
    static final String AGENT_DURATION = "jobpipe.worker.agent.duration";
    static final String ACKNOWLEDGEMENTS = "jobpipe.worker.acknowledgements";
    static final String RECORDS_IN_FLIGHT = "jobpipe.worker.records.in.flight";
    static final String REDELIVERIES = "jobpipe.worker.redeliveries";
    static final String UNREADABLE_RECORDS = "jobpipe.worker.unreadable.records";
    static final String ACK_COMMIT_FAILURES = "jobpipe.worker.acknowledgement.commit.failures";
    static final String HEARTBEATS = "jobpipe.worker.heartbeats";
    static final String OVERDUE_AGENTS = "jobpipe.worker.agents.overdue";
    static final String LOCK_RENEWALS = "jobpipe.worker.lock.renewals";

    private final MeterRegistry registry;
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.STARTING);
    private final AtomicReference<String> lastStartupError = new AtomicReference<>();
    private final Map<String, Instant> lastPoll = new ConcurrentHashMap<>();
    private final Map<String, String> loopErrors = new ConcurrentHashMap<>();
    private final Map<String, Boolean> alive = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Counter> attempts = new ConcurrentHashMap<>();
    private final Map<String, Timer> agentDurations = new ConcurrentHashMap<>();
    private final Map<String, Counter> unreadable = new ConcurrentHashMap<>();
    private final Map<AcknowledgeType, Counter> acknowledgements = new ConcurrentHashMap<>();
    private final Counter redelivered;
    private final Counter ackCommitFailures;

    public WorkerStats(MeterRegistry registry) {
        this.registry = registry;
        this.redelivered = Counter.builder(REDELIVERIES)
                .description("Stage requests received again after an earlier delivery was not accepted")
                .register(registry);
        this.ackCommitFailures = Counter.builder(ACK_COMMIT_FAILURES)
                .description("Acknowledgement commits the share group refused")
                .register(registry);
        Gauge.builder(RECORDS_IN_FLIGHT, inFlight, loops -> loops.values().stream().mapToInt(AtomicInteger::get).sum())
                .description("Records acquired from the share group and not yet acknowledged")
                .register(registry);
        for (AcknowledgeType type : new AcknowledgeType[] {AcknowledgeType.ACCEPT, AcknowledgeType.RELEASE,
                AcknowledgeType.REJECT}) {
            acknowledgementCounter(type);
        }
    }

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
        inFlight.remove(name);
    }

    void polled(String name) {
        lastPoll.put(name, Instant.now());
        loopErrors.remove(name);
    }

    void loopError(String name, String error) {
        loopErrors.put(name, error);
    }

    /** A loop acquired {@code count} records; set, not added, so a batch that broke off leaves no stale count. */
    void acquired(String name, int count) {
        inFlight.computeIfAbsent(name, key -> new AtomicInteger()).set(count);
    }

    /** One stage attempt ran its agent for {@code nanos} and ended with {@code outcome}. */
    void attempted(String stage, Outcome outcome, long nanos) {
        attempts.computeIfAbsent(stage + ' ' + outcome.label, key -> Counter.builder(STAGE_ATTEMPTS)
                        .description("Stage attempts the worker ran, by stage and outcome")
                        .tag("stage", stage)
                        .tag("outcome", outcome.label)
                        .register(registry))
                .increment();
        agentDurations.computeIfAbsent(stage, key -> Timer.builder(AGENT_DURATION)
                        .description("How long agents ran, by stage")
                        .tag("stage", stage)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    void unreadable(String stage) {
        unreadable.computeIfAbsent(stage, key -> Counter.builder(UNREADABLE_RECORDS)
                        .description("Unreadable stage requests copied to the poison topic")
                        .tag("stage", stage)
                        .register(registry))
                .increment();
    }

    void heartbeat(String stage) {
        stageCounter(HEARTBEATS, "Heartbeats sent for agents still running after part of their stage timeout", stage)
                .increment();
    }

    void overdue(String stage) {
        stageCounter(OVERDUE_AGENTS, "Agents interrupted because they ran past their stage timeout", stage).increment();
    }

    void lockRenewed(String stage) {
        stageCounter(LOCK_RENEWALS, "Acquisition locks renewed for records whose agents still ran after half of the lock", stage)
                .increment();
    }

    private Counter stageCounter(String name, String description, String stage) {
        return Counter.builder(name).description(description).tag("stage", stage).register(registry);
    }

    void redelivered() {
        redelivered.increment();
    }

    void acknowledged(String name, AcknowledgeType type) {
        acknowledgementCounter(type).increment();
        AtomicInteger loop = inFlight.get(name);
        if (loop != null) {
            loop.decrementAndGet();
        }
    }

    void ackCommitFailed() {
        ackCommitFailures.increment();
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
        counters.put("succeeded", attemptsEndedAs(Outcome.SUCCEEDED));
        counters.put("failed", attemptsEndedAs(Outcome.FAILED_RETRYABLE) + attemptsEndedAs(Outcome.FAILED_PERMANENT));
        counters.put("deadLettered", (long) unreadable.values().stream().mapToDouble(Counter::count).sum());
        counters.put("redelivered", (long) redelivered.count());
        counters.put("accepted", (long) acknowledgementCounter(AcknowledgeType.ACCEPT).count());
        counters.put("released", (long) acknowledgementCounter(AcknowledgeType.RELEASE).count());
        counters.put("rejected", (long) acknowledgementCounter(AcknowledgeType.REJECT).count());
        counters.put("ackCommitFailures", (long) ackCommitFailures.count());
        counters.put("lockRenewals", (long) registry.find(LOCK_RENEWALS).counters().stream()
                .mapToDouble(Counter::count).sum());
        return counters;
    }

    private long attemptsEndedAs(Outcome outcome) {
        return (long) attempts.values().stream()
                .filter(counter -> outcome.label.equals(counter.getId().getTag("outcome")))
                .mapToDouble(Counter::count)
                .sum();
    }

    private Counter acknowledgementCounter(AcknowledgeType type) {
        return acknowledgements.computeIfAbsent(type, key -> Counter.builder(ACKNOWLEDGEMENTS)
                .description("Share-group acknowledgements, by type")
                .tag("type", type.name())
                .register(registry));
    }
}
