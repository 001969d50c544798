package io.jobpipe.status.store;

import io.jobpipe.status.projection.JobView;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Jobs whose latest events are projected but not yet written to their rows: each job's view as its rows hold it (with
 * the rows' version; both null when it has no rows yet), its view after every event applied since, and when the first
 * of those was applied.
 * The events themselves are stored (they are what {@code GET /jobs/{id}} folds onto the rows), so forgetting an
 * entry loses nothing but the early write of its rows. Thread-safe: the live projection, a rebuild and the idle
 * writes use it.
 */
final class UnwrittenProgress {
    /**
     * @param written      the job as its rows hold it; null when it has none yet
     * @param version      the rows' version ({@code xmin} of the job's row); null when it has none yet
     * @param current      the job after every applied event
     * @param sinceNanos   {@link System#nanoTime()} when the oldest unwritten change was applied
     */
    record Entry(JobView written, Long version, JobView current, long sinceNanos) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    synchronized Entry get(String jobId) {
        return entries.get(jobId);
    }

    synchronized void put(Entry entry) {
        entries.put(entry.current().jobId(), entry);
    }

    synchronized void remove(Collection<String> jobIds) {
        jobIds.forEach(entries::remove);
    }

    synchronized void clear() {
        entries.clear();
    }

    synchronized int size() {
        return entries.size();
    }

    /** Every entry, however recent. */
    synchronized List<Entry> all() {
        return new ArrayList<>(entries.values());
    }

    /** The entries whose oldest change is at least {@code delayNanos} old at {@code nowNanos}, except {@code skip}. */
    synchronized List<Entry> due(long nowNanos, long delayNanos, Set<String> skip) {
        List<Entry> due = new ArrayList<>();
        for (Entry entry : entries.values()) {
            if (nowNanos - entry.sinceNanos() >= delayNanos && !skip.contains(entry.current().jobId())) {
                due.add(entry);
            }
        }
        return due;
    }
}
