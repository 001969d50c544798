package io.jobpipe.status.store;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What projecting one batch did.
 *
 * @param applied    events new to the read model
 * @param duplicates events it had already seen (redelivered after a crash or rebalance)
 * @param gaps       events that arrived with a seq above the next one expected
 * @param jobIds     the jobs that received new events (and were notified)
 * @param appliedOccurredAt the {@code occurredAt} of each new event, for the projection lag
 */
public record BatchResult(int applied, int duplicates, int gaps, Set<String> jobIds, List<Instant> appliedOccurredAt) {
    public BatchResult {
        jobIds = Set.copyOf(jobIds);
        appliedOccurredAt = List.copyOf(appliedOccurredAt);
    }

    /** A batch that applied nothing. */
    public static BatchResult empty() {
        return new BatchResult(0, 0, 0, Set.of(), List.of());
    }
}
