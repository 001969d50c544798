package io.jobpipe.status.live;

import io.jobpipe.status.config.TopicTailProperties;
import io.jobpipe.status.store.FeedEvent;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Job events as they arrive from {@code jobpipe.job.events} ({@code JobEventsTopicReader}), before the projection has
 * stored them: the SSE streams' fast path. The read model stays the one source of truth. An event from here reaches
 * a stream only when it follows, seq by seq, what the stream's job tail already holds, so a stream sends each seq
 * once, in order, whichever path brought it; anything the topic path missed comes from the table, after the
 * projection's notification, as before. A stream ends only on the read model's word.
 */
@Singleton
public class TopicArrivals {
    private final RecentEvents recent;
    private volatile Consumer<List<Arrival>> listener = arrivals -> { };
    /** Streams of jobs not seen yet, each run once when its job's first event arrives. */
    private final Map<String, Set<Runnable>> waiting = new ConcurrentHashMap<>();

    public TopicArrivals(TopicTailProperties config) {
        // Per job as much as a tail keeps: a client further behind reads the table.
        this.recent = new RecentEvents(JobTails.MAX_EVENTS, JobTails.MAX_BYTES, config.maxBytes(),
                config.keep().toNanos());
    }

    /** An event of a job, as read from the topic. */
    public record Arrival(String jobId, FeedEvent event) {
    }

    /** One poll's events, in the topic's order (per job: seq order). */
    public void arrived(List<Arrival> arrivals) {
        long now = System.nanoTime();
        for (Arrival arrival : arrivals) {
            recent.add(arrival.jobId(), arrival.event(), now);
        }
        listener.accept(arrivals);
        if (!waiting.isEmpty()) {
            for (Arrival arrival : arrivals) {
                Set<Runnable> waiters = waiting.remove(arrival.jobId());
                if (waiters != null) {
                    waiters.forEach(Runnable::run);
                }
            }
        }
    }

    /**
     * Runs {@code onSeen} (on the topic reader's thread, so it must not block) when an event of the job arrives, or at
     * once when one arrived within {@code keep}. It may run twice when the two happen together (callers complete a
     * future, which takes the first); closing the subscription first means never.
     */
    public Subscription whenSeen(String jobId, Runnable onSeen) {
        waiting.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(onSeen);
        // Registered before this look, so an event in between still runs it.
        if (knows(jobId)) {
            onSeen.run();
        }
        return () -> waiting.computeIfPresent(jobId, (id, set) -> {
            set.remove(onSeen);
            return set.isEmpty() ? null : set;
        });
    }

    /** Ends a {@link #whenSeen} wait. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** True when an event of the job arrived from the topic within the last {@code keep}: the job exists. */
    public boolean knows(String jobId) {
        return recent.knows(jobId);
    }

    RecentEvents.Held held(String jobId) {
        return recent.held(jobId);
    }

    void listen(Consumer<List<Arrival>> onArrivals) {
        this.listener = onArrivals;
    }
}
