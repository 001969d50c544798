package io.jobpipe.orchestrator.breaker;

import io.jobpipe.core.breaker.BreakerState;
import io.jobpipe.core.breaker.BreakerState.Status;
import io.jobpipe.core.pipeline.BreakerPolicy;
import io.jobpipe.core.pipeline.StageDefinition;

import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One orchestrator task's part in the circuit breakers: it weighs the attempt outcomes it sees and says when a
 * breaker must open, when one of its held jobs must go out as a probe, and what the probe's outcome means.
 * Pure: the caller passes the breaker's current state and the time, and writes the states this returns.
 * <p>A breaker's state is shared (the {@code jobpipe.breakers} topic), its evidence is not: each task weighs the
 * outcomes of its own partitions, so a stage failing everywhere trips in every task, and the first to see enough
 * opens it for all. Outcomes are counted only while the breaker is closed and only since its latest change (an
 * operator's close starts a fresh count); the results of attempts sent before it opened do not count again.
 */
public final class BreakerMonitor {
    private final Map<String, Counted> windows = new HashMap<>();
    private final Map<String, Probe> probes = new HashMap<>();

    /**
     * An attempt of {@code stage} of {@code pipeline} (job {@code jobId}) ended: succeeded, or failed retryably
     * ({@code failed}; a non-retryable failure is the job's own fault and is not reported).
     *
     * @return the state to write when this outcome opens or closes the breaker
     */
    public Optional<BreakerState> onOutcome(String pipeline, StageDefinition stage, String jobId, boolean failed,
                                            String detail, BreakerState current, Instant now) {
        String name = BreakerState.nameOf(pipeline, stage.name());
        Probe probe = probes.get(name);
        if (probe != null && probe.jobId().equals(jobId)) {
            probes.remove(name);
            if (current == null || current.status() != Status.HALF_OPEN || current.manual()) {
                return Optional.empty();
            }
            return Optional.of(failed
                    ? state(pipeline, stage, Status.OPEN, now, "probe job " + jobId + " failed"
                    + (detail == null ? "" : ": " + detail))
                    : state(pipeline, stage, Status.CLOSED, now, "probe job " + jobId + " succeeded"));
        }
        BreakerPolicy policy = stage.breaker();
        if (!policy.enabled() || (current != null && current.holdsDispatches())) {
            return Optional.empty();
        }
        Instant epoch = current == null ? null : current.since();
        Counted counted = windows.get(name);
        if (counted == null || counted.window().size() != policy.window() || !Objects.equals(counted.epoch(), epoch)) {
            counted = new Counted(new FailureWindow(policy.window()), epoch);
            windows.put(name, counted);
        }
        FailureWindow window = counted.window();
        window.add(failed);
        double rate = (double) window.failures() / window.count();
        if (window.count() < policy.minimumAttempts() || rate < policy.failureRate()) {
            return Optional.empty();
        }
        String why = String.format(Locale.ROOT, "%d of the last %d attempts failed (%.0f%%, opens at %.0f%%)%s",
                window.failures(), window.count(), rate * 100, policy.failureRate() * 100,
                detail == null ? "" : "; the latest: " + detail);
        window.clear();
        return Optional.of(state(pipeline, stage, Status.OPEN, now, why));
    }

    /**
     * Whether this task, holding jobs of the breaker, should send one of them as a probe now: the breaker was opened
     * by the orchestrator and its cooldown is over, or it is half-open and its probe (another task's, or a lost one
     * of this task's) has given no answer within the cooldown plus the stage's timeout.
     *
     * @return the HALF_OPEN state to write before the probe goes out; then call {@link #probeSent}
     */
    public Optional<BreakerState> probeDue(String pipeline, StageDefinition stage, BreakerState current, Instant now) {
        if (current == null || !current.holdsDispatches() || current.manual()) {
            return Optional.empty();
        }
        String name = BreakerState.nameOf(pipeline, stage.name());
        Probe probe = probes.get(name);
        Instant unanswered = current.since().plus(stage.breaker().cooldown()).plus(stage.timeout());
        if (probe != null && now.isBefore(probe.sentAt().plus(stage.breaker().cooldown()).plus(stage.timeout()))) {
            return Optional.empty();
        }
        if (current.status() == Status.OPEN && !now.isBefore(current.since().plus(stage.breaker().cooldown()))) {
            return Optional.of(state(pipeline, stage, Status.HALF_OPEN, now, "open for "
                    + stage.breaker().cooldown() + " (" + current.reason() + "); sending one held job as a probe"));
        }
        if (current.status() == Status.HALF_OPEN && !now.isBefore(unanswered)) {
            return Optional.of(state(pipeline, stage, Status.HALF_OPEN, now,
                    "the probe sent at " + current.since() + " gave no answer; sending another"));
        }
        return Optional.empty();
    }

    /** {@code jobId} went out as the probe of {@code breaker}: its outcome decides the breaker. */
    public void probeSent(String breaker, String jobId, Instant now) {
        probes.put(breaker, new Probe(jobId, now));
    }

    private static BreakerState state(String pipeline, StageDefinition stage, Status status, Instant now, String why) {
        return new BreakerState(null, pipeline, stage.name(), status, now, why, BreakerState.ORCHESTRATOR, false);
    }

    private record Counted(FailureWindow window, Instant epoch) {
    }

    private record Probe(String jobId, Instant sentAt) {
    }
}
