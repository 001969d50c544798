package io.jobpipe.orchestrator.streams;

import io.jobpipe.orchestrator.machine.Timer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The timers of one task's jobs, in memory and in due order: at most one per job, the latest scheduled replacing
 * the earlier one. Not stored anywhere, because every job's timer follows from its stored state
 * ({@link io.jobpipe.orchestrator.machine.JobStateMachine#pendingTimer}): after a restart the index is rebuilt
 * from the {@code job-state} store.
 * <p>Retention timers ({@link Timer.Kind#FORGET}) are kept apart and compactly, as job ids per due time: there is
 * one per finished job still retained (hundreds of thousands under load), a job has no other timer once it has
 * ended, and one left behind by a job already forgotten finds nothing when it fires.
 */
final class TimerIndex {
    /** One job's pending timer; ordered by due time, then job id, so two jobs due at once are both kept. */
    record Entry(long dueMs, Timer timer) {
    }

    private static final Comparator<Entry> DUE_ORDER =
            Comparator.comparingLong(Entry::dueMs).thenComparing(e -> e.timer().jobId());

    private final Map<String, Entry> byJob = new HashMap<>();
    private final TreeSet<Entry> byDue = new TreeSet<>(DUE_ORDER);
    private final TreeMap<Long, List<String>> forgetByDue = new TreeMap<>();
    private int forgetCount;

    /** Makes {@code timer} the one its job waits for, due at {@code dueMs}. */
    void put(Timer timer, long dueMs) {
        if (timer.kind() == Timer.Kind.FORGET) {
            remove(timer.jobId());
            forgetByDue.computeIfAbsent(dueMs, due -> new ArrayList<>()).add(timer.jobId());
            forgetCount++;
            return;
        }
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

    /**
     * Removes and returns the timers due at {@code nowMs} or before, at most {@code max}: attempt and retry timers
     * earliest first, then retention timers earliest first.
     */
    List<Entry> takeDue(long nowMs, int max) {
        List<Entry> due = new ArrayList<>();
        while (!byDue.isEmpty() && due.size() < max && byDue.first().dueMs() <= nowMs) {
            Entry entry = byDue.pollFirst();
            byJob.remove(entry.timer().jobId());
            due.add(entry);
        }
        while (!forgetByDue.isEmpty() && due.size() < max && forgetByDue.firstKey() <= nowMs) {
            Map.Entry<Long, List<String>> bucket = forgetByDue.firstEntry();
            List<String> jobIds = bucket.getValue();
            while (!jobIds.isEmpty() && due.size() < max) {
                due.add(new Entry(bucket.getKey(), Timer.forget(jobIds.remove(jobIds.size() - 1))));
                forgetCount--;
            }
            if (jobIds.isEmpty()) {
                forgetByDue.pollFirstEntry();
            }
        }
        return due;
    }

    /** When the earliest timer is due, if there is one. */
    OptionalLong earliestDueMs() {
        long earliest = Long.MAX_VALUE;
        if (!byDue.isEmpty()) {
            earliest = byDue.first().dueMs();
        }
        if (!forgetByDue.isEmpty()) {
            earliest = Math.min(earliest, forgetByDue.firstKey());
        }
        return earliest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(earliest);
    }

    int size() {
        return byJob.size() + forgetCount;
    }

    void clear() {
        byJob.clear();
        byDue.clear();
        forgetByDue.clear();
        forgetCount = 0;
    }
}
