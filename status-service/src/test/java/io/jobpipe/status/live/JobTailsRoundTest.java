package io.jobpipe.status.live;

import io.jobpipe.status.config.LiveEventsProperties;
import io.jobpipe.status.store.EventEntity;
import io.jobpipe.status.store.EventKey;
import io.jobpipe.status.store.FeedEvent;
import io.jobpipe.status.store.JobReadModel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A round of notifications that ends while the previous round's read is still out: its read waits for that one,
 * so a newer read is never thrown away behind an older one. Each read here is held until the test lets it answer.
 */
class JobTailsRoundTest {
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");
    private static final LiveEventsProperties CONFIG = new LiveEventsProperties(Duration.ofSeconds(15),
            Duration.ofSeconds(1), Duration.ofMillis(200), 200, Duration.ofSeconds(1), 4, 0, 0, 0, 4);

    private final List<EventEntity> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger roundReads = new AtomicInteger();
    private final CountDownLatch firstReadMayAnswer = new CountDownLatch(1);
    private final CountDownLatch secondReadMayAnswer = new CountDownLatch(1);
    private final CountDownLatch secondReadStarted = new CountDownLatch(1);

    /** Round reads answer with what the table held as they started, then wait for the test's word. */
    private final class HeldReadModel extends JobReadModel {
        HeldReadModel() {
            super(null, null);
        }

        @Override
        public TailPage tailAfter(String jobId, long afterSeq, int limit) {
            return page(afterSeq);
        }

        @Override
        public Map<String, TailPage> tailsAfter(Map<String, Long> afterSeqs, int limit) {
            int read = roundReads.incrementAndGet();
            Map<String, TailPage> pages = Map.of("job-1", page(afterSeqs.get("job-1")));
            try {
                if (read == 1) {
                    firstReadMayAnswer.await(10, TimeUnit.SECONDS);
                } else if (read == 2) {
                    secondReadStarted.countDown();
                    secondReadMayAnswer.await(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return pages;
        }

        private TailPage page(long afterSeq) {
            return new TailPage(events.stream().filter(e -> e.seq() > afterSeq).toList(), (long) events.size(), "RUNNING");
        }
    }

    private void add() {
        long seq = events.size() + 1;
        events.add(new EventEntity(new EventKey("job-1", seq), "evt-" + seq, "StageDispatched", T0, "{}"));
    }

    @Test
    void shouldReadARoundThatEndsDuringTheRoundBeforeAfterThatOneAnswered() throws InterruptedException {
        ManualNotifier notifier = new ManualNotifier(CONFIG);
        // Every read on a thread of its own: nothing but the tails themselves keeps two round reads apart.
        JobTails tails = new JobTails(new HeldReadModel(), notifier, 100, task -> new Thread(task).start());
        AtomicInteger signals = new AtomicInteger();
        add();
        JobTails.Tail tail = tails.join("job-1", signals::incrementAndGet);
        assertThat(tail.after(0, 100)).hasSize(1);

        add();
        notifier.round();
        await().atMost(Duration.ofSeconds(5)).until(() -> roundReads.get() == 1);
        add();
        notifier.round();
        // The first read answers (events 1..2) and its streams are signalled; only then may the second start.
        firstReadMayAnswer.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> signals.get() >= 1);
        assertThat(secondReadStarted.await(5, TimeUnit.SECONDS)).as("the round that ended meanwhile is read").isTrue();
        secondReadMayAnswer.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> signals.get() >= 2);
        assertThat(tail.after(0, 100)).extracting(FeedEvent::position).containsExactly(1L, 2L, 3L);
    }
}
