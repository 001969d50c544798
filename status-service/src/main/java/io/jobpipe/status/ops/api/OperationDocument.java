package io.jobpipe.status.ops.api;

import io.jobpipe.status.store.OperationRow;
import io.micronaut.core.annotation.Introspected;

import java.time.Duration;
import java.time.Instant;

/**
 * {@code GET /ops/operations/{id}}: a bulk operation and how far it got. {@code state} is {@code running},
 * {@code done}, {@code failed}, or {@code abandoned}: still marked running, but its replica has written no
 * progress for {@link #ABANDONED_AFTER} (it stopped or died); repeating the request finishes it, since the jobs
 * already handled no longer match and the orchestrator takes a replay id once.
 */
@Introspected
public record OperationDocument(String id, String kind, String replayId, String requestedBy, String reason,
                                String filter, int matched, int sent, int failed, String state, Instant startedAt,
                                Instant finishedAt, String error, Instant updatedAt) {
    /** Far above the longest gap between two progress writes (a send may wait its 10 s timeout). */
    static final Duration ABANDONED_AFTER = Duration.ofSeconds(60);

    static OperationDocument of(OperationRow r, Instant now) {
        boolean abandoned = "running".equals(r.state()) && r.updatedAt().plus(ABANDONED_AFTER).isBefore(now);
        String state = abandoned ? "abandoned" : r.state();
        String error = abandoned ? "no progress since " + r.updatedAt() + ": the status replica running it has "
                + "stopped; repeat the request" + (r.replayId() == null ? "" : " with replayId " + r.replayId())
                + " to finish it (jobs already handled are not selected again)" : r.error();
        return new OperationDocument(r.id(), r.kind(), r.replayId(), r.requestedBy(), r.reason(), r.filter(),
                r.matched(), r.sent(), r.failed(), state, r.startedAt(), r.finishedAt(), error, r.updatedAt());
    }
}
