package io.jobpipe.status.ops.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Introspected;

/**
 * The 202 of a bulk replay or cancel: the operation runs in the background.
 *
 * @param replayId  the replay id of every command (null for a cancel, and then left out)
 * @param statusUrl {@code /ops/operations/<operationId>}
 */
@Introspected
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BulkAccepted(String operationId, String replayId, int matched, String statusUrl) {
}
