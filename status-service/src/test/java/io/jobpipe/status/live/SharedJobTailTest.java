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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
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

    private final List<EventEntity> events = new CopyOnWriteArrayList<>();
    private volatile String state = "RUNNING";
    private final AtomicInteger eventReads = new AtomicInteger();
    private final AtomicInteger rowReads = new AtomicInteger();
    private final List<Runnable> subscriptions = new CopyOnWriteArrayList<>();
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

    /** Records the subscriptions, so the test can play PostgreSQL's notifications. */
    private final class ManualNotifier extends JobEventNotifier {
        ManualNotifier(LiveEventsProperties config) {
            super(config, "jdbc:unused", "u", "p");
        }

        @Override
        public Subscription subscribe(String jobId, Runnable onNewEvents) {
            subscriptions.add(onNewEvents);
            return () -> subscriptions.remove(onNewEvents);
        }

        void notifyAllSubscribers() {
            subscriptions.forEach(Runnable::run);
        }
    }

    private void add(String type) {
        long seq = events.size() + 1;
        events.add(new EventEntity(new EventKey("job-1", seq), "evt-" + seq, type, T0, "{\"seq\":" + seq + "}"));
    }

    @Test
    void shouldReadOnceForAllStreamsOfAJobOnEachNotification() {
        LiveEventsProperties config = new LiveEventsProperties(Duration.ofSeconds(15), Duration.ofSeconds(1),
                Duration.ofMillis(200), 200, Duration.ofSeconds(1), 4, 0, 0, 0, 4);
        ScheduledExecutorTaskScheduler scheduler = new ScheduledExecutorTaskScheduler(scheduled);
        ManualNotifier notifier = new ManualNotifier(config);
        ReadModelRecovery recovery = new ReadModelRecovery(new ReadModelHealthIndicator(null,
                new ReadModelProperties(Duration.ofMillis(500), Duration.ofMillis(500), 1)), scheduler, config);
        JobEventStreams streams = new JobEventStreams(new CountingReadModel(), null, notifier, recovery, scheduler,
                config, new SimpleMeterRegistry());
        add("JobAccepted");
        add("StageDispatched");
        List<List<String>> received = new CopyOnWriteArrayList<>();
        AtomicInteger completed = new AtomicInteger();
        List<Disposable> subscribers = new CopyOnWriteArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            List<String> ids = new CopyOnWriteArrayList<>();
            received.add(ids);
            subscribers.add(streams.stream("job-1", 0, () -> { }).subscribe(bytes -> {
                String frame = new String(bytes, StandardCharsets.UTF_8);
                if (frame.startsWith("id: ")) {
                    ids.add(frame.substring(4, frame.indexOf('\n')));
                }
            }, e -> { }, completed::incrementAndGet));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> received.stream().allMatch(ids -> ids.size() == 2));
        assertThat(subscriptions).as("one subscription for the job, not one per stream").hasSize(1);

        for (int round = 0; round < 5; round++) {
            int readsBefore = eventReads.get() + rowReads.get();
            add("StageCompleted");
            notifier.notifyAllSubscribers();
            int expected = events.size();
            await().atMost(Duration.ofSeconds(5)).until(() -> received.stream().allMatch(ids -> ids.size() == expected));
            assertThat(eventReads.get() + rowReads.get() - readsBefore)
                    .as("reads for %d streams after notification %d", STREAMS, round).isLessThanOrEqualTo(1);
        }

        add("JobCompleted");
        state = "COMPLETED";
        notifier.notifyAllSubscribers();
        await().atMost(Duration.ofSeconds(5)).until(() -> completed.get() == STREAMS);
        assertThat(received).allSatisfy(ids -> assertThat(ids).containsExactly("1", "2", "3", "4", "5", "6", "7", "8"));
        assertThat(subscriptions).as("the last stream to end drops the job's subscription").isEmpty();
        subscribers.forEach(Disposable::dispose);
        streams.close();
    }
}
