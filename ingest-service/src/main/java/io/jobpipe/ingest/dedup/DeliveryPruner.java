package io.jobpipe.ingest.dedup;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;

/**
 * Forgets deliveries older than {@code jobpipe.ingest.dedup.retention}, in batches so that no statement holds many
 * locks. Every replica runs it; deleting what another replica already deleted is harmless.
 */
@Singleton
public class DeliveryPruner {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryPruner.class);
    private static final int BATCH = 10_000;

    private final DeliveryLedger ledger;
    private final DeduplicationProperties settings;
    private final Clock clock;

    public DeliveryPruner(DeliveryLedger ledger, DeduplicationProperties settings) {
        this.ledger = ledger;
        this.settings = settings;
        this.clock = Clock.systemUTC();
    }

    @Scheduled(initialDelay = "1m", fixedDelay = "${jobpipe.ingest.dedup.prune-interval:1h}")
    void pruneExpired() {
        Instant before = clock.instant().minus(settings.retention());
        int total = 0;
        try {
            int deleted;
            do {
                deleted = ledger.prune(before, BATCH);
                total += deleted;
            } while (deleted == BATCH);
            if (total > 0) {
                LOG.info("forgot {} deliveries first seen before {}", total, before);
            }
        } catch (SQLException e) {
            LOG.warn("could not prune deliveries (will try again): {}", e.getMessage());
        }
    }
}
