package io.jobpipe.status.live;

import io.jobpipe.core.event.JobStatus;
import io.jobpipe.status.store.EventEntity;
import io.jobpipe.status.store.FeedEvent;
import io.jobpipe.status.store.JobEntity;
import io.jobpipe.status.store.JobReadModel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recent events of each job that has open SSE streams, read from PostgreSQL once per notification for all of
 * that job's streams: a thousand browsers on one job cost one read per change, not a thousand. A stream whose
 * position is older than what the tail holds (its history, or a client that fell far behind) reads the table
 * itself. The tail keeps at most {@link #MAX_EVENTS} events and {@link #MAX_BYTES} of their JSON, so a job with
 * large stage outputs is read per stream rather than held in memory.
 */
final class JobTails {
    // Small: 10,000 streams on 10,000 jobs must fit in 32 KiB each (issue 10); a client further behind reads the table.
    static final int MAX_EVENTS = 32;
    static final long MAX_BYTES = 32 * 1024;

    private final JobReadModel readModel;
    private final JobEventNotifier notifier;
    private final int pageSize;
    private final Map<String, Tail> tails = new ConcurrentHashMap<>();

    JobTails(JobReadModel readModel, JobEventNotifier notifier, int pageSize) {
        this.readModel = readModel;
        this.notifier = notifier;
        this.pageSize = pageSize;
    }

    /** The job's tail, shared with its other open streams; {@code onChange} runs on each of its notifications. */
    Tail join(String jobId, Runnable onChange) {
        Tail tail = tails.compute(jobId, (id, current) -> {
            Tail t = current != null ? current : new Tail(id);
            t.listeners.add(onChange);
            return t;
        });
        tail.listen();
        return tail;
    }

    /** Leaves the tail; the last stream to leave drops it and its subscription. */
    void leave(Tail tail, Runnable onChange) {
        tails.computeIfPresent(tail.jobId, (id, current) -> {
            current.listeners.remove(onChange);
            if (current.listeners.isEmpty()) {
                current.unlisten();
                return null;
            }
            return current;
        });
    }

    int size() {
        return tails.size();
    }

    /** One job's recent events and row. Reads happen under its lock, one at a time. */
    final class Tail {
        private final String jobId;
        private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();
        private final ArrayDeque<FeedEvent> recent = new ArrayDeque<>();
        private final Object subscriptionLock = new Object();
        private JobEventNotifier.Subscription subscription;
        // Set by the LISTEN thread without the tail's lock (it must never wait for a read); cleared before a read.
        private volatile boolean stale = true;
        private boolean loaded;
        // Positions (seqs) covered: every event with coveredFrom < seq <= readUpTo is in recent.
        private long coveredFrom;
        private long readUpTo;
        private long bytes;
        // The job's row as last read: its last seq and state (null without a row).
        private Long endSeq;
        private String endState;

        private Tail(String jobId) {
            this.jobId = jobId;
        }

        private void listen() {
            synchronized (subscriptionLock) {
                if (subscription == null) {
                    subscription = notifier.subscribe(jobId, this::changed);
                }
            }
        }

        private void unlisten() {
            synchronized (subscriptionLock) {
                if (subscription != null) {
                    subscription.close();
                    subscription = null;
                }
            }
        }

        /** The job has new events: the next read refreshes, then every stream of the job is signalled. */
        private void changed() {
            stale = true;
            listeners.forEach(Runnable::run);
        }

        String jobId() {
            return jobId;
        }

        /** Up to {@code limit} events after {@code position}: from memory when covered, else from the table. */
        List<FeedEvent> after(long position, int limit) {
            synchronized (this) {
                refreshIfStale(position);
                if (position >= coveredFrom && position <= readUpTo) {
                    List<FeedEvent> page = new ArrayList<>(Math.min(limit, recent.size()));
                    for (FeedEvent event : recent) {
                        if (event.position() > position && page.size() < limit) {
                            page.add(event);
                        }
                    }
                    return page;
                }
                if (position > readUpTo) {
                    // Ahead of everything this replica has projected (a resume beyond it): nothing yet.
                    return List.of();
                }
            }
            return events(readModel.eventsAfter(jobId, position, limit));
        }

        /** Every event up to {@code position} was sent and the job rests in a terminal state. */
        synchronized boolean finishedAt(long position) {
            refreshIfStale(position);
            return endSeq != null && endSeq <= position && JobStatus.isTerminalName(endState);
        }

        private void refreshIfStale(long position) {
            if (!stale) {
                return;
            }
            // Cleared before the read: a notification during it marks the tail stale again, nothing is missed.
            stale = false;
            try {
                if (!loaded) {
                    // Starts where the first reader is, but never more than MAX_EVENTS behind the job's end:
                    // a stream that starts from the beginning reads its history from the table, not into memory.
                    long end = readModel.jobRow(jobId).map(JobEntity::lastSeq).orElse(0L);
                    coveredFrom = Math.max(position, end - MAX_EVENTS);
                    readUpTo = coveredFrom;
                    loaded = true;
                }
                JobReadModel.TailPage page;
                do {
                    page = readModel.tailAfter(jobId, readUpTo, pageSize);
                    for (FeedEvent event : events(page.events())) {
                        recent.addLast(event);
                        bytes += event.body().length();
                        readUpTo = event.position();
                    }
                    trim();
                } while (page.events().size() == pageSize);
                // The row as of the last page's snapshot: "terminal at seq L" then never ends a stream before L was read.
                endSeq = page.lastSeq();
                endState = page.state();
            } catch (RuntimeException e) {
                stale = true;
                throw e;
            }
        }

        private void trim() {
            while (!recent.isEmpty() && (recent.size() > MAX_EVENTS || bytes > MAX_BYTES)) {
                FeedEvent dropped = recent.removeFirst();
                bytes -= dropped.body().length();
                coveredFrom = dropped.position();
            }
        }

        private List<FeedEvent> events(List<EventEntity> rows) {
            return rows.stream().map(e -> new FeedEvent(e.seq(), e.type(), e.body())).toList();
        }
    }
}
