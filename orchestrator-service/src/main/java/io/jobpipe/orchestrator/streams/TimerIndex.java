package io.jobpipe.orchestrator.streams;

import io.jobpipe.orchestrator.machine.Timer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The timers of one task's jobs, in memory and in due order: at most one per job, the latest scheduled replacing
 * the earlier one. Not stored anywhere, because every job's timer follows from its stored state
 * ({@link io.jobpipe.orchestrator.machine.JobStateMachine#pendingTimer}): after a restart the index is rebuilt
 * from the {@code job-state} store.
 */
final class TimerIndex {
    /** One job's pending timer; ordered by due time, then job id, so two jobs due at once are both kept. */
    record Entry(long dueMs, Timer timer) {
    }

    private static final Comparator<Entry> DUE_ORDER =
            Comparator.comparingLong(Entry::dueMs).thenComparing(e -> e.timer().jobId());

    private final Map<String, Entry> byJob = new HashMap<>();
    private final TreeSet<Entry> byDue = new TreeSet<>(DUE_ORDER);

    /** Makes {@code timer} the one its job waits for, due at {@code dueMs}. */
    void put(Timer timer, long dueMs) {
        Entry entry = new Entry(dueMs, timer);
        Entry previous = byJob.put(timer.jobId(), entry);
        if (previous != null) {
            byDue.remove(previous);
        }
        byDue.add(entry);
    }

    void remove(String jobId) {
        Entry previous = byJob.remove(jobId);
        if (previous != null) {
            byDue.remove(previous);
        }
    }

    /** Removes and returns the timers due at {@code nowMs} or before, earliest first, at most {@code max}. */
    List<Entry> takeDue(long nowMs, int max) {
        List<Entry> due = new ArrayList<>();
        while (!byDue.isEmpty() && due.size() < max && byDue.first().dueMs() <= nowMs) {
            Entry entry = byDue.pollFirst();
            byJob.remove(entry.timer().jobId());
            due.add(entry);
        }
        return due;
    }

    /** When the earliest timer is due, if there is one. */
    OptionalLong earliestDueMs() {
        return byDue.isEmpty() ? OptionalLong.empty() : OptionalLong.of(byDue.first().dueMs());
    }

    int size() {
        return byJob.size();
    }

    void clear() {
        byJob.clear();
        byDue.clear();
    }
}
