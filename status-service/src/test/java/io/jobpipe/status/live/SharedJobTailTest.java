package io.jobpipe.status.live;

import io.jobpipe.status.config.LiveEventsProperties;
import io.jobpipe.status.config.ReadModelProperties;
import io.jobpipe.status.health.ReadModelHealthIndicator;
import io.jobpipe.status.store.EventEntity;
import io.jobpipe.status.store.EventKey;
import io.jobpipe.status.store.JobEntity;
import io.jobpipe.status.store.JobReadModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.scheduling.ScheduledExecutorTaskScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many streams of one job share its reads: a notification costs one read of the job's new events with its row,
 * however many browsers follow the job, and each stream still gets every event once, in order.
 */
class SharedJobTailTest {
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");
    private static final int STREAMS = 50;
    private static final LiveEventsProperties CONFIG = new LiveEventsProperties(Duration.ofSeconds(15),
            Duration.ofSeconds(1), Duration.ofMillis(200), 200, Duration.ofSeconds(1), 4, 0, 0, 0, 4);

    private final List<EventEntity> events = new CopyOnWriteArrayList<>();
    private volatile String state = "RUNNING";
    private volatile int readPauseMillis;
    private volatile boolean roundReadsFail;
    private final AtomicInteger roundReadFailures = new AtomicInteger();
    private final AtomicInteger eventReads = new AtomicInteger();
    private final AtomicInteger rowReads = new AtomicInteger();
    private final ScheduledExecutorService scheduled = Executors.newScheduledThreadPool(1);

    @AfterEach
    void stop() {
        scheduled.shutdownNow();
    }

    private final class CountingReadModel extends JobReadModel {
        CountingReadModel() {
            super(null, null);
        }

        @Override
        public List<EventEntity> eventsAfter(String jobId, long afterSeq, int limit) {
            eventReads.incrementAndGet();
            return events.stream().filter(e -> e.seq() > afterSeq).limit(limit).toList();
        }

        @Override
        public TailPage tailAfter(String jobId, long afterSeq, int limit) {
            eventReads.incrementAndGet();
            TailPage page = tailAfterUncounted(afterSeq, limit);
            pause();
            return page;
        }

        @Override
        public Map<String, TailPage> tailsAfter(Map<String, Long> afterSeqs, int limit) {
            eventReads.incrementAndGet();
            if (roundReadsFail) {
                roundReadFailures.incrementAndGet();
                throw new IllegalStateException("the round's read failed (test)");
            }
            Map<String, TailPage> pages = new HashMap<>();
            afterSeqs.forEach((jobId, afterSeq) -> pages.put(jobId, tailAfterUncounted(afterSeq, limit)));
            pause();
            return pages;
        }

        /** A read that takes a while after its snapshot, when the test asks for it, as a statement's answer does. */
        private void pause() {
            int most = readPauseMillis;
            if (most > 0) {
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(most + 1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private TailPage tailAfterUncounted(long afterSeq, int limit) {
            return new TailPage(events.stream().filter(e -> e.seq() > afterSeq).limit(limit).toList(),
                    (long) events.size(), state);
        }

        @Override
        public Optional<JobEntity> jobRow(String jobId) {
            rowReads.incrementAndGet();
            return Optional.of(new JobEntity(jobId, null, null, null, null, null, state, null, null, events.size(),
                    null, null, null, T0, T0, null, null));
        }
    }


    private JobEventStreams streams(ManualNotifier notifier) {
        ScheduledExecutorTaskScheduler scheduler = new ScheduledExecutorTaskScheduler(scheduled);
        ReadModelRecovery recovery = new ReadModelRecovery(new ReadModelHealthIndicator(null,
                new ReadModelProperties(Duration.ofMillis(500), Duration.ofMillis(500), 1)), scheduler, CONFIG);
        return new JobEventStreams(new CountingReadModel(), null, notifier, recovery, scheduler, CONFIG,
                new SimpleMeterRegistry(), null);
    }

    /** One stream on each of jobs job-0 … job-(n-1); each list gets its stream's event ids, in order. */
    private static List<List<String>> follow(JobEventStreams streams, int jobs, List<Disposable> subscribers,
                                             AtomicInteger completed) {
        List<List<String>> received = new CopyOnWriteArrayList<>();
        for (int i = 0; i < jobs; i++) {
            List<String> ids = new CopyOnWriteArrayList<>();
            received.add(ids);
            subscribers.add(streams.stream("job-" + i, 0, () -> { }).subscribe(bytes -> collectIds(bytes, ids),
                    e -> { }, completed::incrementAndGet));
        }
        return received;
    }

    /** The ids of the frames in one element: an element may carry several (a page of events is written at once). */
    private static void collectIds(byte[] element, List<String> ids) {
        for (String frame : new String(element, StandardCharsets.UTF_8).split("(?<=\n\n)")) {
            if (frame.startsWith("id: ")) {
                ids.add(frame.substring(4, frame.indexOf('\n')));
            }
        }
    }

    private void add(String type) {
        long seq = events.size() + 1;
        events.add(new EventEntity(new EventKey("job-1", seq), "evt-" + seq, type, T0, "{\"seq\":" + seq + "}"));
    }

    @Test
    void shouldReadOnceForAllStreamsOfAJobOnEachNotification() {
        ManualNotifier notifier = new ManualNotifier(CONFIG);
        JobEventStreams streams = streams(notifier);
        add("JobAccepted");
        add("StageDispatched");
        List<List<String>> received = new CopyOnWriteArrayList<>();
        AtomicInteger completed = new AtomicInteger();
        List<Disposable> subscribers = new CopyOnWriteArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            List<String> ids = new CopyOnWriteArrayList<>();
            received.add(ids);
            subscribers.add(streams.stream("job-1", 0, () -> { }).subscribe(bytes -> collectIds(bytes, ids), e -> { },
                    completed::incrementAndGet));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> received.stream().allMatch(ids -> ids.size() == 2));
        assertThat(notifier.jobSubscribers).as("one subscription for the job, not one per stream").hasSize(1);

        for (int round = 0; round < 5; round++) {
            int readsBefore = eventReads.get() + rowReads.get();
            add("StageCompleted");
            notifier.round();
            int expected = events.size();
            await().atMost(Duration.ofSeconds(5)).until(() -> received.stream().allMatch(ids -> ids.size() == expected));
            assertThat(eventReads.get() + rowReads.get() - readsBefore)
                    .as("reads for %d streams after notification %d", STREAMS, round).isLessThanOrEqualTo(1);
        }

        add("JobCompleted");
        state = "COMPLETED";
        notifier.round();
        await().atMost(Duration.ofSeconds(5)).until(() -> completed.get() == STREAMS);
        assertThat(received).allSatisfy(ids -> assertThat(ids).containsExactly("1", "2", "3", "4", "5", "6", "7", "8"));
        assertThat(notifier.jobSubscribers).as("the last stream to end drops the job's subscription").isEmpty();
        subscribers.forEach(Disposable::dispose);
        streams.close();
    }

    @Test
    void shouldReadEveryJobOfARoundOfNotificationsInOneRead() {
        ManualNotifier notifier = new ManualNotifier(CONFIG);
        JobEventStreams streams = streams(notifier);
        add("JobAccepted");
        int jobs = 40;
        List<Disposable> subscribers = new CopyOnWriteArrayList<>();
        List<List<String>> received = follow(streams, jobs, subscribers, new AtomicInteger());
        await().atMost(Duration.ofSeconds(5)).until(() -> received.stream().allMatch(ids -> ids.size() == 1));
        assertThat(notifier.jobSubscribers).hasSize(jobs);

        for (int round = 0; round < 3; round++) {
            int readsBefore = eventReads.get() + rowReads.get();
            add("StageDispatched");
            notifier.round();
            int expected = events.size();
            await().atMost(Duration.ofSeconds(5)).until(() -> received.stream().allMatch(ids -> ids.size() == expected));
            assertThat(eventReads.get() + rowReads.get() - readsBefore)
                    .as("reads for %d jobs notified in round %d", jobs, round).isEqualTo(1);
        }
        assertThat(received).allSatisfy(ids -> assertThat(ids).containsExactly("1", "2", "3", "4"));
        subscribers.forEach(Disposable::dispose);
        streams.close();
    }

    /**
     * Notifications that come while rounds are being read, reads that take a while, streams that read for themselves
     * in between: still every stream gets every event, in order, and ends. (Two rounds read at once used to drop the
     * newer read when the older one applied first, and the last events of a job then never reached its streams.)
     */
    @Test
    void shouldDeliverEveryEventWhenNotificationsComeWhileRoundsAreRead() throws InterruptedException {
        ManualNotifier notifier = new ManualNotifier(CONFIG);
        JobEventStreams streams = streams(notifier);
        readPauseMillis = 3;
        add("JobAccepted");
        int jobs = 20;
        AtomicInteger completed = new AtomicInteger();
        List<Disposable> subscribers = new CopyOnWriteArrayList<>();
        List<List<String>> received = follow(streams, jobs, subscribers, completed);
        for (int i = 0; i < 150; i++) {
            add("StageDispatched");
            notifier.round();
            Thread.sleep(ThreadLocalRandom.current().nextInt(3));
        }
        add("JobCompleted");
        state = "COMPLETED";
        notifier.round();

        await().atMost(Duration.ofSeconds(10)).until(() -> completed.get() == jobs);
        List<String> all = java.util.stream.LongStream.rangeClosed(1, events.size()).mapToObj(Long::toString).toList();
        assertThat(received).allSatisfy(ids -> assertThat(ids).isEqualTo(all));
        subscribers.forEach(Disposable::dispose);
        streams.close();
    }

    /** A round's read that fails leaves its tails stale: every stream then reads for itself and still gets its events. */
    @Test
    void shouldLetEachStreamReadForItselfWhenARoundsReadFails() {
        ManualNotifier notifier = new ManualNotifier(CONFIG);
        JobEventStreams streams = streams(notifier);
        add("JobAccepted");
        int jobs = 5;
        List<Disposable> subscribers = new CopyOnWriteArrayList<>();
        List<List<String>> received = follow(streams, jobs, subscribers, new AtomicInteger());
        await().atMost(Duration.ofSeconds(5)).until(() -> received.stream().allMatch(ids -> ids.size() == 1));

        roundReadsFail = true;
        add("StageDispatched");
        notifier.round();

        await().atMost(Duration.ofSeconds(5)).until(() -> received.stream().allMatch(ids -> ids.size() == 2));
        assertThat(roundReadFailures.get()).as("the round's read was tried, and failed").isEqualTo(1);
        assertThat(received).allSatisfy(ids -> assertThat(ids).containsExactly("1", "2"));
        subscribers.forEach(Disposable::dispose);
        streams.close();
    }
}
