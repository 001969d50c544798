package io.jobpipe.core.event;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Objects;

/**
 * A webhook accepted by ingest: the start of a job. Value of {@code jobpipe.jobs.requested}, key = jobId.
 *
 * @param connection  the ingest connection the webhook arrived on
 * @param deliveryId  the sender's delivery id, or null when the sender gave none
 * @param eventType   the sender's event type (e.g. GitHub's X-GitHub-Event), or "webhook"
 * @param requestId   ingest's request id, also logged, so a request can be traced to its job
 * @param payload     the webhook body, parsed JSON
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonTypeName("JobRequested")
public record JobRequested(
        String eventId,
        String jobId,
        Instant occurredAt,
        String connection,
        String deliveryId,
        String eventType,
        String requestId,
        JsonNode payload) implements Event {

    public JobRequested {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(payload, "payload");
    }
}
