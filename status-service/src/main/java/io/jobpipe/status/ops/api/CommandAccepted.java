package io.jobpipe.status.ops.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Introspected;

/**
 * The 202 of a single replay or cancel: the command is in Kafka; the job's history will say what it did.
 *
 * @param replayId  the replay's id (null for a cancel, and then left out)
 * @param commandId the command's eventId on {@code jobpipe.ops.commands}
 * @param statusUrl the job's document, where the JobReplayed / ReplayRefused / JobCancelled shows up
 */
@Introspected
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommandAccepted(String jobId, String replayId, String commandId, String statusUrl) {
}
