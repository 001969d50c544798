package io.jobpipe.status.live;

import io.jobpipe.status.config.LiveEventsProperties;
import io.jobpipe.status.health.ReadModelHealthIndicator;
import io.micronaut.health.HealthStatus;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where SSE streams wait while PostgreSQL does not answer: a stream whose read failed parks its "read again" here
 * instead of failing, and one probe (the read model's health check, every {@code reconnect-backoff}) looks for the
 * database for all of them, rather than every stream retrying on its own. When the probe succeeds each parked
 * stream is signalled once; their reads queue on the streams' bounded read pool, so thousands of streams resume
 * a few at a time, never a thread each.
 */
@Singleton
public class ReadModelRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(ReadModelRecovery.class);

    private final ReadModelHealthIndicator health;
    private final TaskScheduler scheduler;
    private final LiveEventsProperties config;
    private final Set<Runnable> waiting = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean probing = new AtomicBoolean();

    public ReadModelRecovery(ReadModelHealthIndicator health, @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler,
                             LiveEventsProperties config) {
        this.health = health;
        this.scheduler = scheduler;
        this.config = config;
    }

    /** Runs {@code resume} once the database answers again. */
    public void whenBack(Runnable resume) {
        waiting.add(resume);
        if (probing.compareAndSet(false, true)) {
            LOG.warn("the read model (PostgreSQL) does not answer; {} event streams wait for it, probing every {} ms",
                    waiting.size(), config.reconnectBackoff().toMillis());
            scheduler.schedule(config.reconnectBackoff(), this::probe);
        }
    }

    public int waitingCount() {
        return waiting.size();
    }

    private void probe() {
        if (health.check().getStatus() != HealthStatus.UP) {
            scheduler.schedule(config.reconnectBackoff(), this::probe);
            return;
        }
        LOG.info("the read model answers again; resuming {} event streams", waiting.size());
        probing.set(false);
        for (Runnable resume : waiting) {
            if (waiting.remove(resume)) {
                resume.run();
            }
        }
        // A stream that parked after the loop began and found probing still set: probe for it too.
        if (!waiting.isEmpty() && probing.compareAndSet(false, true)) {
            scheduler.schedule(config.reconnectBackoff(), this::probe);
        }
    }
}
