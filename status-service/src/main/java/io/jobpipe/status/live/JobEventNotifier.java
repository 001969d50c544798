package io.jobpipe.status.live;

import io.jobpipe.status.config.LiveEventsProperties;
import io.jobpipe.status.store.JobEventProjector;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Property;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tells this instance's SSE streams that a job has new events. One dedicated PostgreSQL connection per
 * instance runs {@code LISTEN jobpipe_job_events} on its own thread; the projector of any replica NOTIFYs
 * the channel with the job id when its transaction commits. A notification carries no event: subscribers
 * re-read the history from the last seq they sent, so a lost or merged notification costs nothing but latency.
 * After the connection is re-established every subscriber is woken, since notifications sent while it was
 * down are gone.
 */
@Context
public class JobEventNotifier {
    /** After this long without a notification the LISTEN connection is checked; a dead one is replaced. */
    static final Duration QUIET_CHECK = Duration.ofSeconds(10);
    static final int QUIET_CHECK_TIMEOUT_SECONDS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(JobEventNotifier.class);

    private final Map<String, Set<Runnable>> subscribers = new ConcurrentHashMap<>();
    /** Firehose streams: woken by every round of notifications. */
    private final Set<Runnable> everyone = ConcurrentHashMap.newKeySet();
    /** Run after each round's subscribers: the job tails read the round's jobs together (not streams: not counted). */
    private final Set<Runnable> roundEnds = ConcurrentHashMap.newKeySet();
    private final LiveEventsProperties config;
    private final String url;
    private final String username;
    private final String password;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread = new Thread(this::run, "jobpipe-status-listen");
    private volatile boolean listening;
    private volatile Connection connection;

    public JobEventNotifier(LiveEventsProperties config,
                            @Property(name = "datasources.default.url") String url,
                            @Property(name = "datasources.default.username") String username,
                            @Property(name = "datasources.default.password") String password) {
        this.config = config;
        this.url = url;
        this.username = username;
        this.password = password;
    }

    @PostConstruct
    void start() {
        thread.setDaemon(true);
        thread.start();
    }

    /** Calls {@code onNewEvents} (on the listener thread: it must not block) whenever the job has new events. */
    public Subscription subscribe(String jobId, Runnable onNewEvents) {
        subscribers.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(onNewEvents);
        return () -> subscribers.computeIfPresent(jobId, (id, set) -> {
            set.remove(onNewEvents);
            return set.isEmpty() ? null : set;
        });
    }

    /**
     * Calls {@code onNewEvents} (on the listener thread: it must not block) once for every round of notifications,
     * whatever jobs they are for: the firehose.
     */
    public Subscription subscribeAll(Runnable onNewEvents) {
        everyone.add(onNewEvents);
        return () -> everyone.remove(onNewEvents);
    }

    /**
     * Calls {@code onRoundEnd} (on the listener thread: it must not block) after each round of notifications has
     * been handed to the subscribers of its jobs and to the firehose, and after a reconnect woke everyone.
     */
    public Subscription subscribeRounds(Runnable onRoundEnd) {
        roundEnds.add(onRoundEnd);
        return () -> roundEnds.remove(onRoundEnd);
    }

    /** True while the LISTEN connection is up. */
    public boolean listening() {
        return listening;
    }

    public int subscriberCount() {
        return subscribers.values().stream().mapToInt(Set::size).sum() + everyone.size();
    }

    @PreDestroy
    void close() {
        stop.countDown();
        Connection current = connection;
        if (current != null) {
            try {
                current.close();
            } catch (SQLException e) {
                LOG.debug("closing the LISTEN connection: {}", e.toString());
            }
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (stop.getCount() > 0) {
                try (Connection c = DriverManager.getConnection(url, username, password)) {
                    connection = c;
                    try (Statement listen = c.createStatement()) {
                        listen.execute("LISTEN " + JobEventProjector.CHANNEL);
                    }
                    listening = true;
                    LOG.info("listening on PostgreSQL channel {}", JobEventProjector.CHANNEL);
                    wakeEveryone();
                    PGConnection pg = c.unwrap(PGConnection.class);
                    int timeoutMs = (int) config.listenPoll().toMillis();
                    long lastHeard = System.nanoTime();
                    while (stop.getCount() > 0) {
                        PGNotification[] notifications = pg.getNotifications(timeoutMs);
                        if (notifications != null && notifications.length > 0) {
                            lastHeard = System.nanoTime();
                            for (PGNotification notification : notifications) {
                                wake(notification.getParameter());
                            }
                            everyone.forEach(JobEventNotifier::runSafely);
                            roundEnds.forEach(JobEventNotifier::runSafely);
                        } else if (System.nanoTime() - lastHeard > QUIET_CHECK.toNanos()) {
                            // A cut-off server sends nothing, exactly like an idle one: ask it, or this connection
                            // would wait forever and no stream would hear of new events after the cut heals.
                            if (!c.isValid(QUIET_CHECK_TIMEOUT_SECONDS)) {
                                throw new SQLException("the LISTEN connection did not answer a check within "
                                        + QUIET_CHECK_TIMEOUT_SECONDS + " s");
                            }
                            lastHeard = System.nanoTime();
                        }
                    }
                } catch (SQLException e) {
                    if (stop.getCount() > 0) {
                        LOG.warn("LISTEN connection lost ({}); reconnecting in {} ms", e.getMessage(),
                                config.reconnectBackoff().toMillis());
                    }
                } finally {
                    listening = false;
                    connection = null;
                }
                stop.await(config.reconnectBackoff().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Package-private for tests: what a notification for {@code jobId} does. */
    void wake(String jobId) {
        Set<Runnable> forJob = subscribers.get(jobId);
        if (forJob != null) {
            forJob.forEach(JobEventNotifier::runSafely);
        }
    }

    private void wakeEveryone() {
        subscribers.values().forEach(set -> set.forEach(JobEventNotifier::runSafely));
        everyone.forEach(JobEventNotifier::runSafely);
        roundEnds.forEach(JobEventNotifier::runSafely);
    }

    private static void runSafely(Runnable subscriber) {
        try {
            subscriber.run();
        } catch (RuntimeException e) {
            LOG.warn("an SSE subscriber failed on notification: {}", e.toString());
        }
    }

    /** Ends a subscription. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
