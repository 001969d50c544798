package io.jobpipe.status.store;

import java.util.Set;

/**
 * What projecting one batch did.
 *
 * @param applied    events new to the read model
 * @param duplicates events it had already seen (redelivered after a crash or rebalance)
 * @param gaps       events that arrived with a seq above the next one expected
 * @param jobIds     the jobs that received new events (and were notified)
 */
public record BatchResult(int applied, int duplicates, int gaps, Set<String> jobIds) {
    public BatchResult {
        jobIds = Set.copyOf(jobIds);
    }
}
