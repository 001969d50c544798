package io.jobpipe.status.ops.api;

import io.jobpipe.status.store.JobOpsRow;
import io.micronaut.core.annotation.Introspected;

import java.time.Instant;

/**
 * One job in {@code GET /ops/dead-letters} (and in the sample of a dry run).
 *
 * @param deadLetteredAt when it was dead-lettered; for a running job (a bulk cancel's sample), its last change
 * @param attempts       attempts the dead-lettered stage made
 * @param replays        how many times it was replayed
 * @param parked         it hit its replay cap: replays are refused until an operator cancels it
 */
@Introspected
public record DeadLetterItem(String jobId, String state, String pipeline, String connection, String eventType,
                             String stage, String errorClass, String errorMessage, Integer attempts,
                             Instant deadLetteredAt, int replays, boolean parked) {

    static DeadLetterItem of(JobOpsRow row) {
        return new DeadLetterItem(row.jobId(), row.state(), row.pipeline(), row.connection(), row.eventType(),
                row.stage(), row.errorClass(), row.errorMessage(), row.attempts(), row.at(), row.replays(),
                row.parked());
    }
}
