package io.jobpipe.status.store;

import java.time.Instant;

/**
 * A row of {@code ops_operations}: one bulk replay or cancel and how far it got.
 *
 * @param kind     {@code replay} or {@code cancel}
 * @param replayId the one replay id of every command of a replay; null for a cancel
 * @param filter   the canonical text of the selection, as written into each command
 * @param matched  jobs selected when the operation started
 * @param state    {@code running}, {@code done} (every command sent or refused) or {@code failed} (stopped early)
 * @param updatedAt when the replica running it last wrote its progress (every few seconds while it runs)
 */
public record OperationRow(String id, String kind, String replayId, String requestedBy, String reason, String filter,
                           int matched, int sent, int failed, String state, Instant startedAt, Instant finishedAt,
                           String error, Instant updatedAt) {
}
