package io.jobpipe.status.retention;

import io.jobpipe.status.config.RetentionProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;

/**
 * Runs {@link Retention} every {@code jobpipe.status.retention.every}: batches of {@code batch-size} jobs, oldest
 * first, until none is left or the sweep's budget is spent (the next sweep goes on). A failure (the database away)
 * is logged and the next sweep tries again; nothing else waits for it.
 */
@Singleton
public class RetentionSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweeper.class);

    private final Retention retention;
    private final RetentionProperties config;
    private final Clock clock;
    private final Counter deletedJobs;

    public RetentionSweeper(Retention retention, RetentionProperties config, MeterRegistry registry) {
        this.retention = retention;
        this.config = config;
        this.clock = Clock.systemUTC();
        this.deletedJobs = Counter.builder("jobpipe.status.retention.deleted.jobs")
                .description("Finished jobs deleted from the read model after the retention").register(registry);
    }

    @Scheduled(fixedDelay = "${jobpipe.status.retention.every:1m}", initialDelay = "${jobpipe.status.retention.every:1m}")
    void scheduled() {
        if (!config.enabled()) {
            return;
        }
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("retention sweep failed, the next one tries again: {}", e.toString());
        }
    }

    /** One sweep; returns the jobs it deleted. */
    public long sweep() {
        Instant cutoff = clock.instant().minus(config.keep());
        long deadline = System.nanoTime() + config.sweepBudget().toNanos();
        long jobs = 0;
        long letters = 0;
        int batches = 0;
        Retention.Deleted batch;
        do {
            batch = retention.deleteBatch(cutoff, config.batchSize());
            jobs += batch.jobs();
            letters += batch.deadLetters();
            batches++;
            deletedJobs.increment(batch.jobs());
        } while (batch.jobs() == config.batchSize() && System.nanoTime() < deadline);
        if (jobs > 0) {
            LOG.info("retention: deleted {} jobs finished before {} ({} dead-letter records) in {} batches{}", jobs,
                    cutoff, letters, batches, batch.jobs() == config.batchSize() ? "; more next sweep" : "");
        }
        return jobs;
    }
}
