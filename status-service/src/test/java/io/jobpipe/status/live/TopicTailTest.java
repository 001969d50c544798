package io.jobpipe.status.live;

import io.jobpipe.status.config.LiveEventsProperties;
import io.jobpipe.status.config.TopicTailProperties;
import io.jobpipe.status.store.EventEntity;
import io.jobpipe.status.store.EventKey;
import io.jobpipe.status.store.FeedEvent;
import io.jobpipe.status.store.JobReadModel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job's tail fed from the topic ahead of the read model: events that follow what it holds go to its streams at
 * once, without a read; anything else waits for the table; and only the table says where the job ends.
 */
class TopicTailTest {
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");
    private static final LiveEventsProperties CONFIG = new LiveEventsProperties(Duration.ofSeconds(15),
            Duration.ofSeconds(1), Duration.ofMillis(200), 200, Duration.ofSeconds(1), 4, 0, 0, 0, 4);

    /** The read model: what the projection has stored so far (behind the topic), and how often it was read. */
    private final List<EventEntity> stored = new CopyOnWriteArrayList<>();
    private volatile String storedState = null;
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger roundReads = new AtomicInteger();
    private final TopicArrivals arrivals = new TopicArrivals(new TopicTailProperties(true, Duration.ofSeconds(10),
            1 << 20));
    private final ManualNotifier notifier = new ManualNotifier(CONFIG);
    private final JobTails tails = new JobTails(new JobReadModel(null, null) {
        @Override
        public TailPage tailAfter(String jobId, long afterSeq, int limit) {
            reads.incrementAndGet();
            return page(afterSeq, limit);
        }

        private TailPage page(long afterSeq, int limit) {
            return new TailPage(stored.stream().filter(e -> e.seq() > afterSeq).limit(limit).toList(),
                    stored.isEmpty() ? null : (long) stored.size(), storedState);
        }

        @Override
        public Map<String, TailPage> tailsAfter(Map<String, Long> afterSeqs, int limit) {
            roundReads.incrementAndGet();
            return Map.of("job-1", page(afterSeqs.get("job-1"), limit));
        }

        @Override
        public List<EventEntity> eventsAfter(String jobId, long afterSeq, int limit) {
            reads.incrementAndGet();
            return stored.stream().filter(e -> e.seq() > afterSeq).limit(limit).toList();
        }
    }, notifier, 100, Runnable::run, arrivals);

    private static FeedEvent event(long seq) {
        return new FeedEvent(seq, seq == 4 ? "JobCompleted" : "StageDispatched", "{\"seq\":" + seq + "}");
    }

    private void fromTopic(long... seqs) {
        for (long seq : seqs) {
            arrivals.arrived(List.of(new TopicArrivals.Arrival("job-1", event(seq))));
        }
    }

    private void projected(long upTo, String state) {
        for (long seq = stored.size() + 1; seq <= upTo; seq++) {
            stored.add(new EventEntity(new EventKey("job-1", seq), "evt-" + seq, event(seq).type(), T0,
                    event(seq).body()));
        }
        storedState = state;
    }

    @Test
    void shouldSendTheTopicsEventsWithoutReadingAndAskTheTableOnlyWhereTheJobEnds() {
        fromTopic(1, 2);
        AtomicInteger signals = new AtomicInteger();
        JobTails.Tail tail = tails.join("job-1", signals::incrementAndGet);

        assertThat(tail.after(0, 100)).extracting(FeedEvent::position).containsExactly(1L, 2L);
        // No read of the stream's own; the job's row comes with a round's read (here at once: reads run inline).
        assertThat(reads).hasValue(0);
        assertThat(roundReads).hasValue(1);

        int before = signals.get();
        fromTopic(3);
        assertThat(signals).hasValue(before + 1);
        assertThat(tail.after(2, 100)).extracting(FeedEvent::position).containsExactly(3L);

        // The job's end is the read model's word: the round's read found nothing stored yet, so not finished.
        assertThat(tail.finishedAt(3)).isFalse();
        assertThat(reads).hasValue(0);

        fromTopic(4);
        assertThat(tail.after(3, 100)).extracting(FeedEvent::position).containsExactly(4L);
        assertThat(tail.finishedAt(4)).isFalse();

        projected(4, "COMPLETED");
        notifier.round();
        assertThat(tail.finishedAt(4)).isTrue();
        // Nothing twice: what the table then held was in the tail already.
        assertThat(tail.after(0, 100)).extracting(FeedEvent::position).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void shouldEndAStreamStartedFromTheTopicWhenItsJobHadEndedInTheReadModelBeforeItJoined() {
        fromTopic(1, 2, 3, 4);
        projected(4, "COMPLETED");
        JobTails.Tail tail = tails.join("job-1", () -> { });

        assertThat(tail.after(0, 100)).extracting(FeedEvent::position).containsExactly(1L, 2L, 3L, 4L);
        // No notification will come for it any more: the round's read of a new tail's row is what ends it.
        assertThat(tail.finishedAt(4)).isTrue();
        assertThat(reads).hasValue(0);
    }

    @Test
    void shouldLeaveAnEventAfterAGapToTheTable() {
        projected(1, "RUNNING");
        JobTails.Tail tail = tails.join("job-1", () -> { });
        assertThat(tail.after(0, 100)).extracting(FeedEvent::position).containsExactly(1L);

        // Seq 2 went by before this replica's reader saw the topic: 3 does not follow what the tail holds.
        fromTopic(3);
        assertThat(tail.after(1, 100)).isEmpty();

        fromTopic(4);
        projected(2, "RUNNING");
        notifier.round();
        // The table's seq 2 closes the gap, and the topic's 3 and 4 follow it without waiting for their projection.
        assertThat(tail.after(1, 100)).extracting(FeedEvent::position).containsExactly(2L, 3L, 4L);
        fromTopic(5);
        assertThat(tail.after(4, 100)).extracting(FeedEvent::position).containsExactly(5L);
    }

    @Test
    void shouldStartFromTheTableWhenTheStreamWantsEventsOlderThanTheTopicsRun() {
        projected(2, "RUNNING");
        fromTopic(3, 4);
        JobTails.Tail tail = tails.join("job-1", () -> { });

        // Seq 1 and 2 are not in the run that came from the topic: the table has them, and the topic's follow on.
        assertThat(tail.after(0, 100)).extracting(FeedEvent::position).containsExactly(1L, 2L, 3L, 4L);
        assertThat(reads.get()).isPositive();
    }

    @Test
    void shouldNeverMakeTheTopicsReaderWaitForATailAStreamHoldsThroughARead() throws Exception {
        fromTopic(1);
        JobTails.Tail tail = tails.join("job-1", () -> { });
        assertThat(tail.after(0, 100)).extracting(FeedEvent::position).containsExactly(1L);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // A stream's read of the table holds the tail's lock for as long as the database takes (up to 2 s).
        Thread reading = new Thread(() -> {
            synchronized (tail) {
                held.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        reading.start();
        assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
        try {
            CompletableFuture.runAsync(() -> fromTopic(2)).get(2, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            reading.join();
        }
        assertThat(tail.after(1, 100)).extracting(FeedEvent::position).containsExactly(2L);
    }

    @Test
    void shouldTellAWaitingStreamOnceWhenItsJobsFirstEventArrives() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        AutoCloseable waiting = arrivals.whenSeen("job-1", seen::incrementAndGet);
        assertThat(seen).hasValue(0);

        fromTopic(1, 2);
        assertThat(seen).hasValue(1);
        waiting.close();

        AtomicInteger late = new AtomicInteger();
        arrivals.whenSeen("job-1", late::incrementAndGet).close();
        assertThat(late).hasValue(1);
    }
}
