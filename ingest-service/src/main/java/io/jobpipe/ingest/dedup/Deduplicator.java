package io.jobpipe.ingest.dedup;

import io.jobpipe.ingest.webhook.IntakeOutcome;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 */
@Singleton
public final class Deduplicator {
    private static final Logger LOG = LoggerFactory.getLogger(Deduplicator.class);

    private final DeliveryLedger ledger;

    public Deduplicator(DeliveryLedger ledger) {
        this.ledger = ledger;
    }

    /**
     * @param produce   writes the JobRequested and answers (accepted after acks=all, or refused)
     * @param duplicate the answer to a delivery already in Kafka
     */
    public CompletableFuture<IntakeOutcome> admit(DeliveryIdentity identity, String connection,
                                                  Supplier<CompletableFuture<IntakeOutcome>> produce,
                                                  Supplier<IntakeOutcome> duplicate) {
        if (!identity.recognised()) {
            return produce.get();
        }
        return ledger.claim(identity.jobId(), connection).handle((claim, error) -> {
            if (error != null) {
                LOG.warn("delivery ledger unavailable, producing job {} without checking for a duplicate: {}",
                        identity.jobId(), rootMessage(error));
                return produce.get();
            }
            if (claim == DeliveryLedger.Claim.ACKNOWLEDGED) {
                return CompletableFuture.completedFuture(duplicate.get());
            }
            return produce.get().thenCompose(outcome -> outcome instanceof IntakeOutcome.Accepted
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
