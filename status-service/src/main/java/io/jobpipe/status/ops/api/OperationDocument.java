package io.jobpipe.status.ops.api;

import io.jobpipe.status.store.OperationRow;
import io.micronaut.core.annotation.Introspected;

import java.time.Instant;

/** {@code GET /ops/operations/{id}}: a bulk operation and how far it got. */
@Introspected
public record OperationDocument(String id, String kind, String replayId, String requestedBy, String reason,
                                String filter, int matched, int sent, int failed, String state, Instant startedAt,
                                Instant finishedAt, String error) {

    static OperationDocument of(OperationRow r) {
        return new OperationDocument(r.id(), r.kind(), r.replayId(), r.requestedBy(), r.reason(), r.filter(),
                r.matched(), r.sent(), r.failed(), r.state(), r.startedAt(), r.finishedAt(), r.error());
    }
}
