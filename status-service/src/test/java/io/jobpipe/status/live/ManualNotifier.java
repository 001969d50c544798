package io.jobpipe.status.live;

import io.jobpipe.status.config.LiveEventsProperties;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A notifier without PostgreSQL: it records the subscriptions, and the test plays the rounds of notifications. */
final class ManualNotifier extends JobEventNotifier {
    final List<Runnable> jobSubscribers = new CopyOnWriteArrayList<>();
    private final List<Runnable> roundEnds = new CopyOnWriteArrayList<>();

    ManualNotifier(LiveEventsProperties config) {
        super(config, "jdbc:unused", "u", "p");
    }

    @Override
    public Subscription subscribe(String jobId, Runnable onNewEvents) {
        jobSubscribers.add(onNewEvents);
        return () -> jobSubscribers.remove(onNewEvents);
    }

    @Override
    public Subscription subscribeRounds(Runnable onRoundEnd) {
        roundEnds.add(onRoundEnd);
        return () -> roundEnds.remove(onRoundEnd);
    }

    /** One round of notifications, as the LISTEN thread plays it: every job's subscribers, then the round's end. */
    void round() {
        jobSubscribers.forEach(Runnable::run);
        roundEnds.forEach(Runnable::run);
    }
}
