package io.jobpipe.status.live;

import io.jobpipe.status.api.SseFrames;
import io.jobpipe.status.config.LiveEventsProperties;
import io.jobpipe.status.projection.JobProjectionRules;
import io.jobpipe.status.store.EventFeed;
import io.jobpipe.status.store.FeedEvent;
import io.jobpipe.status.store.JobFilter;
import io.jobpipe.status.store.JobReadModel;
import io.jobpipe.status.store.ReadModelUnavailableException;
import io.jobpipe.support.logging.LogContext;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A job's events as Server-Sent Events: the stored history after a given seq, then every new event as it is
 * projected, each exactly once and in seq order, ending once the job rests in a terminal state (its last
 * event, e.g. JobCompleted, or a ReplayRefused after JobDeadLettered, was sent).
 *
 * <p>A job's new events come from the topic as they are written ({@link TopicArrivals}), when they follow what its
 * tail holds; everything else comes from the {@code job_events} table, and notifications only say "look again". A stream
 * subscribes to notifications before its first read, and every read starts after the last seq it sent, so
 * an event committed between the history read and the subscription can be neither lost nor sent twice.
 * Reads run on a bounded pool of their own ({@code read-threads}), one at a time per stream, and only while the
 * client keeps up: a wake-up of every stream at once (the LISTEN connection back, the database back) queues their
 * reads instead of starting a thread for each. When PostgreSQL does not answer, a stream stays open (its keep-alive
 * comments go on) and waits in {@link ReadModelRecovery}, then resumes after the last seq it sent.
 * Open streams are the gauge {@code jobpipe_status_sse_subscribers}.
 */
@Singleton
public class JobEventStreams {
    private static final Logger LOG = LoggerFactory.getLogger(JobEventStreams.class);
    /** The comment every stream starts with; then only keep-alives. */
    public static final String OPENING_COMMENT = "open";
    /**
     * How long a stream's place waits for Micronaut to subscribe its body (it does so as it writes the answer, within
     * milliseconds). A client gone before that never gets its body subscribed, and its place would stay taken.
     */
    static final Duration UNCLAIMED_PLACE_TIMEOUT = Duration.ofSeconds(10);

    private final EventFeed feed;
    private final JobTails tails;
    private final JobEventNotifier notifier;
    private final ExecutorService readers;
    private final ReadModelRecovery recovery;
    private final TaskScheduler scheduler;
    private final LiveEventsProperties config;
    private final StreamQuota quota;

    public JobEventStreams(JobReadModel readModel, EventFeed feed, JobEventNotifier notifier, ReadModelRecovery recovery,
                           @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler,
                           LiveEventsProperties config, MeterRegistry registry, TopicArrivals arrivals) {
        this.feed = feed;
        this.notifier = notifier;
        this.recovery = recovery;
        AtomicInteger threadNumber = new AtomicInteger();
        // Queue unbounded but never long: a stream has at most one read queued (its pending count coalesces signals).
        this.readers = new ThreadPoolExecutor(config.readThreads(), config.readThreads(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread thread = new Thread(r, "jobpipe-sse-read-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        ((ThreadPoolExecutor) readers).allowCoreThreadTimeOut(true);
        this.tails = new JobTails(readModel, notifier, config.pageSize(), readers, arrivals);
        this.scheduler = scheduler;
        this.config = config;
        this.quota = new StreamQuota(config.maxStreams(), config.maxStreamsPerClient());
        // The streams holding a place: one per open stream, given back when it ends.
        Gauge.builder("jobpipe.status.sse.subscribers", quota, StreamQuota::open)
                .description("Server-Sent Event streams of job events open now")
                .register(registry);
    }

    @PreDestroy
    void close() {
        readers.shutdownNow();
    }

    /** The caps on open streams ({@code jobpipe.status.live.max-streams}, {@code …max-streams-per-client}). */
    public StreamQuota quota() {
        return quota;
    }

    /**
     * SSE frames of the job's events with seq above {@code afterSeq}, then live ones, then completion; the stream
     * holds {@code place} (from {@link #quota()}) and gives it back when it ends, however it ends.
     */
    public Flux<byte[]> stream(String jobId, long afterSeq, StreamQuota.Lease place) {
        return open(new JobSource(jobId), afterSeq, place, pump -> {
            Runnable signal = pump::signal;
            JobTails.Tail tail = tails.join(jobId, signal);
            ((JobSource) pump.source).tail = tail;
            return () -> tails.leave(tail, signal);
        });
    }

    /**
     * The firehose: SSE frames (id = feed position) of every event of the jobs {@code filter} matches (on the job's
     * state and fields now), after {@code afterPosition}, then live ones; it never ends by itself.
     */
    public Flux<byte[]> firehose(JobFilter filter, long afterPosition, StreamQuota.Lease place) {
        return open(new FeedSource(filter), afterPosition, place, pump -> notifier.subscribeAll(pump::signal));
    }

    /** The feed's last position now: where a firehose without Last-Event-ID starts. */
    public long feedEnd() {
        return feed.end();
    }

    private Flux<byte[]> open(Source source, long after, StreamQuota.Lease place,
                              java.util.function.Function<Pump, JobEventNotifier.Subscription> subscribe) {
        AtomicBoolean claimed = new AtomicBoolean();
        ScheduledFuture<?> unclaimed = scheduler.schedule(UNCLAIMED_PLACE_TIMEOUT, () -> {
            if (claimed.compareAndSet(false, true)) {
                LOG.debug("an SSE stream's body was never subscribed (its client left first): its place is given back");
                place.close();
            }
        });
        return Flux.create(sink -> {
            if (!claimed.compareAndSet(false, true)) {
                // Subscribed after its place was given back (or a second time): nothing, the client reconnects.
                sink.complete();
                return;
            }
            unclaimed.cancel(false);
            Pump pump = new Pump(source, after, sink);
            JobEventNotifier.Subscription live = subscribe.apply(pump);
            ScheduledFuture<?> keepAlive = scheduler.scheduleAtFixedRate(config.keepAlive(), config.keepAlive(),
                    pump::keepAlive);
            sink.onDispose(() -> {
                place.close();
                pump.stop();
                live.close();
                keepAlive.cancel(false);
            });
            sink.onRequest(n -> pump.signal());
            // The answer's headers leave with its first frame: without this comment, a client of a quiet stream would
            // not know it is connected until the first event or keep-alive (15 s), and could not tell it from a hang.
            sink.next(SseFrames.comment(OPENING_COMMENT));
            pump.signal();
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    /** What a stream reads: frames after a position, and whether nothing more will come. */
    private interface Source {
        /** Up to {@code limit} events after {@code position}, in order, each with its position. */
        List<FeedEvent> after(long position, int limit);

        /** True when nothing will come after {@code position}: the stream ends. */
        boolean finishedAt(long position);

        /** The job it follows, for log lines; null for the firehose. */
        String jobId();
    }

    /** One job's events, through the tail its streams share; positions are seqs. */
    private static final class JobSource implements Source {
        private final String jobId;
        // Set once the stream joined its job's tail, before its first read.
        private volatile JobTails.Tail tail;

        JobSource(String jobId) {
            this.jobId = jobId;
        }

        @Override
        public List<FeedEvent> after(long position, int limit) {
            JobTails.Tail attached = tail;
            // A notification between joining the tail and attaching it: nothing yet, the stream's first read follows.
            return attached == null ? List.of() : attached.after(position, limit);
        }

        /**
         * True when every event of the job was sent and the job rests in a terminal state. A terminal event alone
         * does not end the stream: an operator's replay reopens a dead-lettered job (JobReplayed follows), and a
         * refused replay is recorded after it; so the job row must say the last event sent is its last. "At or
         * beyond": a client that resumed after a seq this replica has not projected (or never will) waits with the
         * others and ends with the job, instead of waiting for a seq that never comes.
         */
        @Override
        public boolean finishedAt(long position) {
            JobTails.Tail attached = tail;
            return attached != null && attached.finishedAt(position);
        }

        @Override
        public String jobId() {
            return jobId;
        }
    }

    /** The feed of every job's events in commit order, filtered; positions are feed positions. */
    private final class FeedSource implements Source {
        private final JobFilter filter;

        FeedSource(JobFilter filter) {
            this.filter = filter;
        }

        @Override
        public List<FeedEvent> after(long position, int limit) {
            return feed.after(filter, position, limit);
        }

        @Override
        public boolean finishedAt(long position) {
            return false;
        }

        @Override
        public String jobId() {
            return null;
        }
    }

    /** Moves one stream's events from the table to the client. */
    private final class Pump {
        final Source source;
        private final FluxSink<byte[]> sink;
        // Signals counted while a read runs; a non-zero count after it means "read again" (nothing is missed).
        private final AtomicInteger pending = new AtomicInteger();
        private volatile boolean stopped;
        // Waiting in ReadModelRecovery: signals are ignored until it resumes the stream (one failed read per outage).
        private volatile boolean parked;
        private final Runnable resume = () -> {
            parked = false;
            signal();
        };
        // Touched only by the one read running at a time.
        private long lastSent;

        Pump(Source source, long after, FluxSink<byte[]> sink) {
            this.source = source;
            this.lastSent = after;
            this.sink = sink;
        }

        void signal() {
            if (stopped || parked || pending.getAndIncrement() != 0) {
                return;
            }
            try {
                readers.execute(this::drain);
            } catch (RejectedExecutionException e) {
                fail(e);
            }
        }

        void stop() {
            stopped = true;
        }

        void keepAlive() {
            if (!stopped && sink.requestedFromDownstream() > 0) {
                sink.next(SseFrames.comment("keep-alive"));
            }
        }

        private void drain() {
            int missed = 1;
            try {
                do {
                    sendNewEvents();
                    missed = pending.addAndGet(-missed);
                } while (missed != 0);
            } catch (ReadModelUnavailableException e) {
                // Not the stream's fault: keep it open and read again once the database answers. Signals that come
                // meanwhile are dropped, since the read after recovery starts after the last seq sent anyway.
                parked = true;
                pending.set(0);
                recovery.whenBack(resume);
            } catch (RuntimeException e) {
                fail(e);
            }
        }

        private void sendNewEvents() {
            int pageSize = config.pageSize();
            while (!stopped && sink.requestedFromDownstream() > 0) {
                List<FeedEvent> page = source.after(lastSent, pageSize);
                if (!page.isEmpty()) {
                    // One element for the page: Netty writes and flushes each element, a syscall apiece.
                    ByteArrayOutputStream frames = new ByteArrayOutputStream();
                    for (FeedEvent event : page) {
                        frames.writeBytes(SseFrames.event(Long.toString(event.position()), event.type(), event.body()));
                        lastSent = event.position();
                    }
                    sink.next(frames.toByteArray());
                }
                if (page.size() < pageSize) {
                    if (source.finishedAt(lastSent)) {
                        stopped = true;
                        sink.complete();
                    }
                    return;
                }
            }
        }

        private void fail(Exception e) {
            // Streams are fed from the LISTEN thread, outside the request: the job's field is set here.
            try (LogContext ignored = source.jobId() == null ? LogContext.open() : LogContext.open().jobId(source.jobId())) {
                LOG.warn("SSE stream {} failed after {}: {}", source.jobId() == null ? "of the firehose"
                        : "of job " + source.jobId(), lastSent, e.toString());
            }
            stopped = true;
            sink.error(e);
        }
    }
}
