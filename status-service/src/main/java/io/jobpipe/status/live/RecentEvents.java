package io.jobpipe.status.live;

import io.jobpipe.status.store.FeedEvent;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The newest events of every job as they arrive from the topic, for a few seconds: what a stream that opens right
 * after its job's 202 starts from while the read model has not caught up yet. Per job it holds one contiguous run of
 * seqs ({@code coveredFrom < seq <= last}, every one present), at most {@code maxEventsPerJob} events and
 * {@code maxBytesPerJob} of their JSON; jobs quiet for longer than {@code keep}, and the oldest jobs beyond
 * {@code maxBytes} in all, are forgotten. Pure and thread-safe; knows nothing of Kafka or the database.
 */
final class RecentEvents {
    private final int maxEventsPerJob;
    private final long maxBytesPerJob;
    private final long maxBytes;
    private final long keepNanos;
    // In order of each job's newest event (moved to the end on add): the head is the job quiet the longest.
    private final LinkedHashMap<String, Run> jobs = new LinkedHashMap<>();
    private long bytes;

    RecentEvents(int maxEventsPerJob, long maxBytesPerJob, long maxBytes, long keepNanos) {
        this.maxEventsPerJob = maxEventsPerJob;
        this.maxBytesPerJob = maxBytesPerJob;
        this.maxBytes = maxBytes;
        this.keepNanos = keepNanos;
    }

    /**
     * Adds an event that arrived at {@code nowNanos}. One at or below the newest seq held is ignored (a redelivery);
     * one past a gap starts the job's run again from itself (the events between were not seen here).
     */
    synchronized void add(String jobId, FeedEvent event, long nowNanos) {
        Run run = jobs.get(jobId);
        if (run != null && event.position() <= run.last) {
            return;
        }
        if (run != null) {
            jobs.remove(jobId);
            if (event.position() != run.last + 1) {
                bytes -= run.bytes;
                run = null;
            }
        }
        if (run == null) {
            run = new Run(event.position() - 1);
        }
        jobs.put(jobId, run);
        run.events.addLast(event);
        run.last = event.position();
        run.bytes += event.body().length();
        run.touched = nowNanos;
        bytes += event.body().length();
        while (run.events.size() > maxEventsPerJob || (run.bytes > maxBytesPerJob && run.events.size() > 1)) {
            FeedEvent dropped = run.events.removeFirst();
            run.bytes -= dropped.body().length();
            bytes -= dropped.body().length();
            run.coveredFrom = dropped.position();
        }
        evict(nowNanos);
    }

    /** The job's run, copied: null when none is held. */
    synchronized Held held(String jobId) {
        Run run = jobs.get(jobId);
        return run == null ? null : new Held(run.coveredFrom, run.last, List.copyOf(run.events));
    }

    /** True when an event of the job arrived within {@code keep}. */
    synchronized boolean knows(String jobId) {
        return jobs.containsKey(jobId);
    }

    synchronized int jobs() {
        return jobs.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    private void evict(long nowNanos) {
        for (Iterator<Map.Entry<String, Run>> it = jobs.entrySet().iterator(); it.hasNext(); ) {
            Run oldest = it.next().getValue();
            if (nowNanos - oldest.touched <= keepNanos && bytes <= maxBytes) {
                return;
            }
            bytes -= oldest.bytes;
            it.remove();
        }
    }

    /** A job's run as held: every event with {@code coveredFrom < seq <= last}, in order. */
    record Held(long coveredFrom, long last, List<FeedEvent> events) {
    }

    private static final class Run {
        private final ArrayDeque<FeedEvent> events = new ArrayDeque<>();
        private long coveredFrom;
        private long last;
        private long bytes;
        private long touched;

        private Run(long coveredFrom) {
            this.coveredFrom = coveredFrom;
            this.last = coveredFrom;
        }
    }
}
