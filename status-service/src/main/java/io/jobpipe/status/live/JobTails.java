package io.jobpipe.status.live;

import io.jobpipe.core.event.JobStatus;
import io.jobpipe.status.store.EventEntity;
import io.jobpipe.status.store.FeedEvent;
import io.jobpipe.status.store.JobReadModel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The recent events of each job that has open SSE streams, read from PostgreSQL once per notification for all of
 * that job's streams: a thousand browsers on one job cost one read per change, not a thousand. And the jobs of one
 * round of notifications (a projector's commit names every job it touched) are read together, in one statement on
 * one connection, before their streams are signalled: at 200 jobs in flight a round used to cost 200 reads, each
 * with its own connection checkout and round trip. A stream whose position is older than what the tail holds (its
 * history, or a client that fell far behind) reads the table itself. The tail keeps at most {@link #MAX_EVENTS}
 * events and {@link #MAX_BYTES} of their JSON, so a job with large stage outputs is read per stream rather than held
 * in memory. Events from the topic ({@link TopicArrivals}) join a tail ahead of the table when they follow it seq by
 * seq, and a new tail starts from them when they reach back to its first stream's position.
 */
final class JobTails {
    // Small: 10,000 streams on 10,000 jobs must fit in 32 KiB each (issue 10); a client further behind reads the table.
    static final int MAX_EVENTS = 32;
    static final long MAX_BYTES = 32 * 1024;
    /** Jobs per statement of a round's read: a reconnect wakes every tail at once. */
    static final int JOBS_PER_READ = 500;
    private static final Logger LOG = LoggerFactory.getLogger(JobTails.class);

    private final JobReadModel readModel;
    private final JobEventNotifier notifier;
    private final int pageSize;
    private final Executor reads;
    private final Map<String, Tail> tails = new ConcurrentHashMap<>();
    /** Tails notified in the current round, read together when it ends. */
    private final Set<Tail> notified = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean roundQueued = new AtomicBoolean();
    /** Events straight from the topic (null: none, every event comes from the table). */
    private final TopicArrivals arrivals;

    JobTails(JobReadModel readModel, JobEventNotifier notifier, int pageSize, Executor reads) {
        this(readModel, notifier, pageSize, reads, null);
    }

    /**
     * {@code reads}: where a round's read runs (never the LISTEN thread, which must not wait on the database);
     * {@code arrivals}: the topic's events ahead of the read model, or null.
     */
    JobTails(JobReadModel readModel, JobEventNotifier notifier, int pageSize, Executor reads,
             TopicArrivals arrivals) {
        this.readModel = readModel;
        this.notifier = notifier;
        this.pageSize = pageSize;
        this.reads = reads;
        this.arrivals = arrivals;
        notifier.subscribeRounds(this::roundEnded);
        if (arrivals != null) {
            arrivals.listen(this::arrived);
        }
    }

    /**
     * Events read from the topic (on its reader's thread, which never waits for a tail's lock): each is offered to its
     * job's tail, whose streams are signalled once; the next to look takes it when it follows what the tail holds. One
     * that does not follow (the tail is behind: its job's older events are still on their way through the read
     * model) is left to the table.
     */
    private void arrived(List<TopicArrivals.Arrival> batch) {
        Set<Tail> offered = new LinkedHashSet<>();
        for (TopicArrivals.Arrival arrival : batch) {
            Tail tail = tails.get(arrival.jobId());
            if (tail != null) {
                tail.offer(arrival.event());
                offered.add(tail);
            }
        }
        offered.forEach(Tail::signal);
    }

    /**
     * A round of notifications ended: its tails are read together, once, off the LISTEN thread. One round's read at a
     * time ({@code roundQueued} stays set while one runs): two at once could both clear a tail's stale mark, and the
     * newer read be dropped as "not the tail it read" after the older applied, leaving its streams without the last
     * events.
     */
    private void roundEnded() {
        if (!notified.isEmpty() && roundQueued.compareAndSet(false, true)) {
            try {
                reads.execute(this::readRound);
            } catch (RejectedExecutionException e) {
                // Shutting down: each stream reads for itself, as without rounds.
                roundQueued.set(false);
                List<Tail> round = takeNotified();
                round.forEach(tail -> {
                    tail.roundPending = false;
                    tail.signal();
                });
            }
        }
    }

    private List<Tail> takeNotified() {
        List<Tail> round = new ArrayList<>();
        for (Iterator<Tail> it = notified.iterator(); it.hasNext(); ) {
            round.add(it.next());
            it.remove();
        }
        return round;
    }

    /**
     * Reads every notified tail that holds events (loaded) and is still stale, one statement per
     * {@link #JOBS_PER_READ} jobs, then signals the streams of every notified tail. A tail that another read
     * refreshed meanwhile keeps that read's newer result. When the read fails, the tails stay stale: each stream
     * then reads for itself and meets the failure (and waits for the database like any read).
     */
    private void readRound() {
        try {
            readRound(takeNotified());
        } finally {
            // Tails notified while this read ran are read next, by a read queued now.
            roundQueued.set(false);
            roundEnded();
        }
    }

    private void readRound(List<Tail> round) {
        // Each tail read with the seq it holds and its version then; one tail per job (a job's tail dropped and made
        // again may appear twice: the second stays stale and its streams read for themselves).
        Map<String, Snapshot> snapshots = new LinkedHashMap<>();
        // Signalled after the read: a tail whose read found nothing new has nothing for its streams (with the topic's
        // events ahead, most reads find only that the row moved on), and signalling each of a thousand streams per
        // commit for nothing kept the read threads from the ones that had news.
        Set<Tail> toSignal = new LinkedHashSet<>();
        for (Tail tail : round) {
            synchronized (tail) {
                tail.roundPending = false;
                if (!(tail.loaded && (tail.stale || tail.endUnread) && !snapshots.containsKey(tail.jobId))) {
                    // Not read here (not started yet, or a second tail of its job): its streams read for themselves.
                    toSignal.add(tail);
                } else {
                    tail.stale = false;
                    snapshots.put(tail.jobId, new Snapshot(tail, tail.readUpTo, tail.version));
                }
            }
        }
        List<Snapshot> unread = new ArrayList<>(snapshots.values());
        try {
            while (!unread.isEmpty()) {
                List<Snapshot> chunk = unread.subList(0, Math.min(unread.size(), JOBS_PER_READ));
                Map<String, Long> after = new LinkedHashMap<>();
                chunk.forEach(snapshot -> after.put(snapshot.tail().jobId, snapshot.afterSeq()));
                Map<String, JobReadModel.TailPage> pages = readModel.tailsAfter(after, pageSize);
                for (Snapshot snapshot : chunk) {
                    if (snapshot.tail().applyRoundRead(pages.get(snapshot.tail().jobId), snapshot.version())) {
                        toSignal.add(snapshot.tail());
                    }
                }
                chunk.clear();
            }
        } catch (RuntimeException e) {
            LOG.debug("a round's tail read failed ({}); each stream reads for itself", e.toString());
            unread.forEach(snapshot -> {
                snapshot.tail().stale = true;
                toSignal.add(snapshot.tail());
            });
        }
        toSignal.forEach(Tail::signal);
    }

    /** A tail as a round's read found it: the seq it read after, and its version then. */
    private record Snapshot(Tail tail, long afterSeq, long version) {
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
        // Counts refreshes: a round's read applies only to the tail it read (see applyRoundRead).
        private long version;
        // Started from the topic's events: the row (where the job ends) is not read yet.
        private boolean endUnread;
        // A round's read will come for this tail and signal its streams if it finds anything: they need not read.
        private volatile boolean roundPending;
        // Events from the topic not yet taken into recent (by the next stream to look, under the lock).
        private final ConcurrentLinkedQueue<FeedEvent> fromTopic = new ConcurrentLinkedQueue<>();
        private final AtomicInteger fromTopicCount = new AtomicInteger();

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

        /**
         * The job has new events: the next read refreshes. Its streams are signalled once the round of notifications
         * ends and the round's read is done ({@link #readRound}).
         */
        private void changed() {
            // In this order: a stream that finds the tail stale then finds a round's read coming for it.
            roundPending = true;
            stale = true;
            notified.add(this);
        }

        private void signal() {
            listeners.forEach(Runnable::run);
        }

        /**
         * What the round's read found, unless a stream's own read refreshed the tail since ({@code version} moved on).
         * A full page leaves the tail stale, so its streams read the rest.
         */
        private synchronized boolean applyRoundRead(JobReadModel.TailPage page, long version) {
            if (this.version != version) {
                // A stream's own read came in between; read again rather than trust either to be the newest.
                stale = true;
                return true;
            }
            long before = readUpTo;
            Long endSeqBefore = endSeq;
            String endStateBefore = endState;
            apply(page);
            if (page.events().size() == pageSize) {
                stale = true;
            }
            return stale || readUpTo != before || !Objects.equals(endSeq, endSeqBefore)
                    || !Objects.equals(endState, endStateBefore);
        }

        private void apply(JobReadModel.TailPage page) {
            for (FeedEvent event : events(page.events())) {
                if (event.position() > readUpTo) {
                    append(event);
                }
            }
            trim();
            // The row as of the page's snapshot: "terminal at seq L" then never ends a stream before L was read.
            endSeq = page.lastSeq();
            endState = page.state();
            endUnread = false;
            version++;
            followFromTopic();
        }

        /**
         * After a read of the table: the events from the topic that follow it (the projection is behind the topic,
         * so the table's newest is often older than what arrived), or the stream would wait for the projection.
         */
        private void followFromTopic() {
            RecentEvents.Held held = arrivals == null ? null : arrivals.held(jobId);
            if (held == null || held.coveredFrom() > readUpTo) {
                return;
            }
            for (FeedEvent event : held.events()) {
                if (event.position() == readUpTo + 1) {
                    append(event);
                }
            }
            trim();
        }

        String jobId() {
            return jobId;
        }

        /** Up to {@code limit} events after {@code position}: from memory when covered, else from the table. */
        List<FeedEvent> after(long position, int limit) {
            synchronized (this) {
                takeFromTopic();
                if (!(loaded && position >= coveredFrom && position < readUpTo) && !(loaded && roundPending)) {
                    // Events not sent yet go first, without waiting on a read: a stale tail is read after them, when
                    // the stream asks whether its job ended (finishedAt), or on the next call. And a round's read
                    // that is on its way reads for every stream of the tail.
                    refreshIfStale(position);
                }
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

        /**
         * An event from the topic, queued for the next stream to look ({@link #takeFromTopic}), which appends it when it
         * is the next seq this tail covers.
         */
        void offer(FeedEvent event) {
            // Without the tail's lock: a stream may hold it through a read of the table (up to the read deadline),
            // and the topic's reader serves every tail. At most MAX_EVENTS wait; older ones are left to the table.
            fromTopic.add(event);
            if (fromTopicCount.incrementAndGet() > MAX_EVENTS && fromTopic.poll() != null) {
                fromTopicCount.decrementAndGet();
            }
        }

        /** Under the lock: the events the topic offered, each appended when it is the next seq, else dropped. */
        private void takeFromTopic() {
            FeedEvent event;
            boolean grew = false;
            while ((event = fromTopic.poll()) != null) {
                fromTopicCount.decrementAndGet();
                if (loaded && event.position() == readUpTo + 1) {
                    append(event);
                    grew = true;
                }
            }
            if (grew) {
                trim();
            }
        }

        /**
         * Every event up to {@code position} was sent and the job rests in a terminal state. Only the read model says
         * where a job ends (a replay reopens a dead-lettered one): a tail started from the topic has its row read by
         * the next round's read, with the other new tails' rows, not by each of its streams.
         */
        synchronized boolean finishedAt(long position) {
            takeFromTopic();
            if (endUnread && !stale) {
                return false;
            }
            if (!(loaded && roundPending)) {
                refreshIfStale(position);
            }
            return endSeq != null && endSeq <= position && JobStatus.isTerminalName(endState);
        }

        private void refreshIfStale(long position) {
            if (!stale) {
                return;
            }
            // Cleared before the read: a notification during it marks the tail stale again, nothing is missed.
            stale = false;
            try {
                JobReadModel.TailPage page;
                if (!loaded && startFromTopic(position)) {
                    return;
                }
                if (!loaded) {
                    // Starts where the first reader is, but never more than MAX_EVENTS behind the job's end:
                    // a stream that starts from the beginning reads its history from the table, not into memory.
                    // The first page tells the end too, so a new job's tail starts with one read, not two.
                    page = readModel.tailAfter(jobId, position, pageSize);
                    long end = page.lastSeq() == null ? 0 : page.lastSeq();
                    coveredFrom = Math.max(position, end - MAX_EVENTS);
                    readUpTo = coveredFrom;
                    loaded = true;
                    if (coveredFrom == position) {
                        apply(page);
                        if (page.events().size() < pageSize) {
                            return;
                        }
                    }
                }
                do {
                    page = readModel.tailAfter(jobId, readUpTo, pageSize);
                    apply(page);
                } while (page.events().size() == pageSize);
            } catch (RuntimeException e) {
                stale = true;
                throw e;
            }
        }

        /**
         * Starts the tail from the job's newest events as they came from the topic, when they reach back to
         * {@code position}: the stream sends them without waiting for the projection, and its job's row is read
         * after its first events left ({@link #finishedAt}). Else false: the tail starts from the table.
         */
        private boolean startFromTopic(long position) {
            RecentEvents.Held held = arrivals == null ? null : arrivals.held(jobId);
            if (held == null || position < held.coveredFrom()) {
                return false;
            }
            coveredFrom = held.coveredFrom();
            readUpTo = coveredFrom;
            held.events().forEach(this::append);
            loaded = true;
            endUnread = true;
            roundPending = true;
            // Its row comes with the next round's read (one statement for every tail that needs one), which then
            // signals its streams: a read per new stream on the stream's own thread would hold up every other
            // stream's events behind the database.
            notified.add(this);
            roundEnded();
            return true;
        }

        /** Under the lock: the event after the newest held (its seq is the caller's to check). */
        private void append(FeedEvent event) {
            recent.addLast(event);
            bytes += event.body().length();
            readUpTo = event.position();
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
