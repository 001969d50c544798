package io.jobpipe.ingest.dedup;

import io.jobpipe.ingest.webhook.IntakeOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One job per delivery. A delivery whose job id is keyed is claimed in the {@link DeliveryLedger} first: one that
 * Kafka already acknowledged is answered as a duplicate and nothing is produced; any other is produced, and marked
 * acknowledged before the 202 goes out, so a resend that follows the answer is always recognised. A delivery whose
 * earlier produce failed (the sender got a 503) is produced again under the same job id: if that earlier record did
 * reach Kafka after all, the orchestrator ignores the second JobRequested of a job id it has seen.
 * <p>If PostgreSQL cannot be reached, the delivery is produced anyway: its job id is keyed, so the orchestrator still
 * starts one job only; the sender just does not learn that it was a duplicate.
 * <p>Meter: {@code jobpipe_ingest_deliveries_total{outcome}}, outcome one of {@code first}, {@code retried} (seen,
 * never acknowledged), {@code duplicate}, {@code unrecognised} (no delivery id) and {@code unchecked} (ledger
 * unavailable).
 */
@Singleton
public final class Deduplicator {
    private static final Logger LOG = LoggerFactory.getLogger(Deduplicator.class);

    static final String DELIVERIES = "jobpipe.ingest.deliveries";

    /** How a delivery was admitted, the {@code outcome} label of {@value #DELIVERIES}. */
    enum Outcome { FIRST, RETRIED, DUPLICATE, UNRECOGNISED, UNCHECKED }

    private final DeliveryLedger ledger;
    private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);

    public Deduplicator(DeliveryLedger ledger, MeterRegistry registry) {
        this.ledger = ledger;
        for (Outcome outcome : Outcome.values()) {
            counters.put(outcome, Counter.builder(DELIVERIES)
                    .description("Webhook deliveries that passed verification, by how deduplication admitted them")
                    .tag("outcome", outcome.name().toLowerCase())
                    .register(registry));
        }
    }

    /**
     * @param produce   writes the JobRequested and answers (accepted after acks=all, or refused)
     * @param duplicate the answer to a delivery already in Kafka
     */
    public CompletableFuture<IntakeOutcome> admit(DeliveryIdentity identity, String connection,
                                                  Supplier<CompletableFuture<IntakeOutcome>> produce,
                                                  Supplier<IntakeOutcome> duplicate) {
        if (!identity.recognised()) {
            counters.get(Outcome.UNRECOGNISED).increment();
            return produce.get();
        }
        return ledger.claim(identity.jobId(), connection).handle((claim, error) -> {
            if (error != null) {
                LOG.warn("delivery ledger unavailable, producing job {} without checking for a duplicate: {}",
                        identity.jobId(), rootMessage(error));
                counters.get(Outcome.UNCHECKED).increment();
                return produce.get();
            }
            if (claim == DeliveryLedger.Claim.ACKNOWLEDGED) {
                counters.get(Outcome.DUPLICATE).increment();
                return CompletableFuture.completedFuture(duplicate.get());
            }
            counters.get(claim == DeliveryLedger.Claim.FIRST ? Outcome.FIRST : Outcome.RETRIED).increment();
            return produce.get().thenCompose(outcome -> outcome.jobInKafka()
                    ? ledger.acknowledged(identity.jobId()).handle((ignored, ackError) -> {
                        if (ackError != null) {
                            LOG.warn("job {} is in Kafka but could not be marked acknowledged; a resend will be "
                                    + "produced again (the orchestrator ignores it): {}", identity.jobId(),
                                    rootMessage(ackError));
                        }
                        return outcome;
                    })
                    : CompletableFuture.completedFuture(outcome));
        }).thenCompose(answer -> answer);
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
