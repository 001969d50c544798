package io.jobpipe.runtime.bench;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.JobEvent.JobAccepted;
import io.jobpipe.core.event.JobEvent.JobCompleted;
import io.jobpipe.core.event.JobEvent.JobDeadLettered;
import io.jobpipe.core.event.JobEvent.JobFailed;
import io.jobpipe.core.event.JobEvent.StageAttemptFailed;
import io.jobpipe.core.event.JobEvent.StageCompleted;
import io.jobpipe.core.event.JobEvent.StageDispatched;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The benchmark's books: which jobs ingest accepted (a 2xx with a job id) and what the job-events topic says
 * happened to each. Either side may come first — the JobAccepted event often overtakes the HTTP answer — so a
 * job's record is opened by whichever arrives first. End-to-end latency is the time the bench saw JobCompleted
 * minus the scheduled send time of that job's request. An operator's replay reopens a dead-lettered job (its
 * terminal count is taken back until it ends again); a cancelled job is counted with the failed ones, its detail
 * saying so. Thread-safe; no Kafka or HTTP here.
 */
public final class JobLedger {
    public enum Outcome { IN_FLIGHT, COMPLETED, FAILED, DEAD_LETTERED }

    /** Live counts for the progress line. */
    public record Snapshot(long accepted, long completed, long failed, long deadLettered, long inFlight) {
    }

    /** Where every accepted job ended, plus the integrity checks on the event stream. */
    public record Outcomes(long accepted, long completed, long failed, long deadLettered, long inFlight,
                           long sequenceGaps, long duplicateEvents, long terminalAfterTerminal,
                           long unacknowledgedRunJobs, long otherJobs,
                           List<String> inFlightExamples, List<String> failureExamples) {
    }

    /** One stage across all accepted jobs, in pipeline order; times from the orchestrator's event timestamps. */
    public record StageBreakdown(String stage, long completions, long failedAttempts,
                                 LatencySummary dispatchToResult, LatencySummary agentDuration) {
    }

    private static final int EXAMPLES = 5;

    private final String runDeliveryPrefix;
    private final Map<String, Track> jobs = new HashMap<>();
    private final LatencyStats endToEnd = new LatencyStats();
    private long accepted;
    private long completed;
    private long failed;
    private long deadLettered;

    /** @param runDeliveryPrefix delivery ids of this run start with it, so its jobs are told from other traffic */
    public JobLedger(String runDeliveryPrefix) {
        this.runDeliveryPrefix = runDeliveryPrefix;
    }

    /**
     * Ingest accepted request {@code index}, due at {@code dueNanos}, as job {@code jobId}.
     * Returns false when that job id was already accepted (two requests deduplicated into one job).
     */
    public synchronized boolean accepted(String jobId, int index, long dueNanos) {
        Track track = jobs.computeIfAbsent(jobId, id -> new Track());
        if (track.accepted) {
            return false;
        }
        track.accepted = true;
        track.index = index;
        track.dueNanos = dueNanos;
        accepted++;
        if (track.outcome != Outcome.IN_FLIGHT) {
            countTerminal(track);
        }
        return true;
    }

    /** An event read from the job-events topic at {@code seenNanos} ({@link System#nanoTime()}). */
    public synchronized void observe(JobEvent event, long seenNanos) {
        Track track = jobs.computeIfAbsent(event.jobId(), id -> new Track());
        if (event.seq() <= track.lastSeq) {
            track.duplicates++;
            return;
        }
        if (event.seq() != track.lastSeq + 1) {
            track.gaps += event.seq() - track.lastSeq - 1;
        }
        track.lastSeq = event.seq();
        track.lastEvent = describe(event);
        if (event instanceof JobAccepted e) {
            track.acceptedAt = e.occurredAt();
            track.stages = e.stages();
            track.deliveryId = e.deliveryId();
        } else if (event instanceof StageDispatched e) {
            track.dispatchedAt.put(e.stage() + "#" + e.attempt(), e.occurredAt());
        } else if (event instanceof StageCompleted e) {
            track.samples.add(new StageSample(e.stage(), sinceDispatch(track, e.stage(), e.attempt(), e.occurredAt()),
                    e.durationMs(), true));
        } else if (event instanceof StageAttemptFailed e) {
            track.samples.add(new StageSample(e.stage(), sinceDispatch(track, e.stage(), e.attempt(), e.occurredAt()),
                    e.durationMs(), false));
        } else if (event instanceof JobEvent.JobReplayed && track.outcome != Outcome.IN_FLIGHT) {
            if (track.accepted) {
                uncountTerminal(track);
            }
            track.outcome = Outcome.IN_FLIGHT;
            return;
        }
        if (event.terminal()) {
            if (track.outcome != Outcome.IN_FLIGHT) {
                track.terminalAfterTerminal++;
                return;
            }
            track.outcome = event instanceof JobCompleted ? Outcome.COMPLETED
                    : event instanceof JobDeadLettered ? Outcome.DEAD_LETTERED : Outcome.FAILED;
            track.terminalSeenNanos = seenNanos;
            track.terminalAt = event.occurredAt();
            track.terminalDetail = event instanceof JobFailed f ? f.errorType() + ": " + f.message()
                    : event instanceof JobDeadLettered d ? d.errorType() + ": " + d.message() + " at " + d.stage()
                    : event instanceof JobEvent.JobCancelled c ? "cancelled by " + c.requestedBy() + ": " + c.reason()
                    : null;
            if (track.accepted) {
                countTerminal(track);
            }
        }
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(accepted, completed, failed, deadLettered, accepted - completed - failed - deadLettered);
    }

    public synchronized boolean allAcceptedTerminal() {
        return accepted == completed + failed + deadLettered;
    }

    /** Seen JobCompleted − scheduled send time, over accepted jobs that completed. */
    public LatencySummary endToEnd() {
        return endToEnd.summary();
    }

    public synchronized List<String> acceptedJobIds() {
        return jobs.entrySet().stream().filter(e -> e.getValue().accepted)
                .sorted(Comparator.comparingInt(e -> e.getValue().index)).map(Map.Entry::getKey).toList();
    }

    /**
     * Every job this run started: those ingest accepted, and those the topic shows starting from one of this run's
     * delivery ids although the request got no 2xx (the answer was lost, e.g. ingest died after writing to Kafka).
     */
    public synchronized List<String> runJobIds() {
        return jobs.entrySet().stream().filter(e -> e.getValue().accepted
                        || e.getValue().deliveryId != null && e.getValue().deliveryId.startsWith(runDeliveryPrefix))
                .map(Map.Entry::getKey).sorted().toList();
    }

    public synchronized Outcome outcomeOf(String jobId) {
        Track track = jobs.get(jobId);
        return track == null ? Outcome.IN_FLIGHT : track.outcome;
    }

    /** The job's terminal state's name (COMPLETED, FAILED, DEAD_LETTERED) as the topic shows it, or null in flight. */
    public String terminalStateOf(String jobId) {
        Outcome outcome = outcomeOf(jobId);
        return outcome == Outcome.IN_FLIGHT ? null : outcome.name();
    }

    public synchronized Outcomes outcomes() {
        long gaps = 0;
        long duplicates = 0;
        long afterTerminal = 0;
        long unacknowledged = 0;
        long other = 0;
        List<String> inFlight = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Track> entry : sortedByIndex()) {
            Track track = entry.getValue();
            if (!track.accepted) {
                if (track.deliveryId != null && track.deliveryId.startsWith(runDeliveryPrefix)) {
                    unacknowledged++;
                } else {
                    other++;
                }
                continue;
            }
            gaps += track.gaps;
            duplicates += track.duplicates;
            afterTerminal += track.terminalAfterTerminal;
            if (track.outcome == Outcome.IN_FLIGHT && inFlight.size() < EXAMPLES) {
                inFlight.add(entry.getKey() + " (last: " + (track.lastEvent == null ? "no event seen" : track.lastEvent) + ")");
            } else if ((track.outcome == Outcome.FAILED || track.outcome == Outcome.DEAD_LETTERED) && failures.size() < EXAMPLES) {
                failures.add(entry.getKey() + " " + track.outcome + " (" + track.terminalDetail + ")");
            }
        }
        return new Outcomes(accepted, completed, failed, deadLettered, accepted - completed - failed - deadLettered,
                gaps, duplicates, afterTerminal, unacknowledged, other, List.copyOf(inFlight), List.copyOf(failures));
    }

    /** JobAccepted → JobCompleted by the orchestrator's clock: the pipeline without ingest and the bench's reading. */
    public synchronized LatencySummary inPipeline() {
        LatencyStats stats = new LatencyStats();
        for (Track track : jobs.values()) {
            if (track.accepted && track.outcome == Outcome.COMPLETED && track.acceptedAt != null && track.terminalAt != null) {
                stats.recordNanos(Duration.between(track.acceptedAt, track.terminalAt).toNanos());
            }
        }
        return stats.summary();
    }

    /** The number of stages most accepted jobs were told to run (JobAccepted.stages), or 0 if none was seen. */
    public synchronized int typicalStageCount() {
        return jobs.values().stream().filter(t -> t.accepted && t.stages != null)
                .collect(Collectors.groupingBy(t -> t.stages.size(), Collectors.counting()))
                .entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0);
    }

    public synchronized List<StageBreakdown> stageBreakdown() {
        Set<String> order = new LinkedHashSet<>();
        jobs.values().stream().filter(t -> t.accepted && t.stages != null).findFirst().ifPresent(t -> order.addAll(t.stages));
        Map<String, List<StageSample>> byStage = new LinkedHashMap<>();
        order.forEach(stage -> byStage.put(stage, new ArrayList<>()));
        jobs.values().stream().filter(t -> t.accepted).flatMap(t -> t.samples.stream())
                .forEach(s -> byStage.computeIfAbsent(s.stage, k -> new ArrayList<>()).add(s));
        List<StageBreakdown> breakdown = new ArrayList<>();
        byStage.forEach((stage, samples) -> {
            LatencyStats hop = new LatencyStats();
            LatencyStats agent = new LatencyStats();
            long ok = 0;
            long failedAttempts = 0;
            for (StageSample sample : samples) {
                if (sample.completed) {
                    ok++;
                    if (sample.dispatchToResultMs >= 0) {
                        hop.recordMillis(sample.dispatchToResultMs);
                    }
                    agent.recordMillis(sample.agentMs);
                } else {
                    failedAttempts++;
                }
            }
            breakdown.add(new StageBreakdown(stage, ok, failedAttempts, hop.summary(), agent.summary()));
        });
        return breakdown;
    }

    private void countTerminal(Track track) {
        switch (track.outcome) {
            case COMPLETED -> {
                completed++;
                endToEnd.recordNanos(track.terminalSeenNanos - track.dueNanos);
            }
            case FAILED -> failed++;
            case DEAD_LETTERED -> deadLettered++;
            default -> throw new IllegalStateException("not terminal: " + track.outcome);
        }
    }

    private void uncountTerminal(Track track) {
        switch (track.outcome) {
            case COMPLETED -> completed--;
            case FAILED -> failed--;
            case DEAD_LETTERED -> deadLettered--;
            default -> throw new IllegalStateException("not terminal: " + track.outcome);
        }
    }

    private List<Map.Entry<String, Track>> sortedByIndex() {
        return jobs.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, Track> e) -> e.getValue().index))
                .toList();
    }

    private static long sinceDispatch(Track track, String stage, int attempt, Instant at) {
        Instant dispatched = track.dispatchedAt.remove(stage + "#" + attempt);
        return dispatched == null || at == null ? -1 : Duration.between(dispatched, at).toMillis();
    }

    private static String describe(JobEvent event) {
        Function<String, String> withStage = stage -> event.getClass().getSimpleName() + " " + stage;
        if (event instanceof StageDispatched e) {
            return withStage.apply(e.stage() + "#" + e.attempt());
        }
        if (event instanceof StageCompleted e) {
            return withStage.apply(e.stage() + "#" + e.attempt());
        }
        if (event instanceof StageAttemptFailed e) {
            return withStage.apply(e.stage() + "#" + e.attempt());
        }
        return event.getClass().getSimpleName();
    }

    private record StageSample(String stage, long dispatchToResultMs, long agentMs, boolean completed) {
    }

    private static final class Track {
        boolean accepted;
        int index = Integer.MAX_VALUE;
        long dueNanos;
        long lastSeq;
        long gaps;
        long duplicates;
        long terminalAfterTerminal;
        String deliveryId;
        String lastEvent;
        Instant acceptedAt;
        List<String> stages;
        Outcome outcome = Outcome.IN_FLIGHT;
        long terminalSeenNanos;
        Instant terminalAt;
        String terminalDetail;
        final Map<String, Instant> dispatchedAt = new HashMap<>();
        final List<StageSample> samples = new ArrayList<>();
    }
}
