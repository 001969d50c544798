package io.jobpipe.ingest.webhook;

import io.jobpipe.core.event.EventIds;
import io.jobpipe.core.event.JobRequested;
import io.jobpipe.ingest.config.IngestProperties;
import io.jobpipe.ingest.connection.Connection;
import io.jobpipe.ingest.connection.Connections;
import io.jobpipe.ingest.connection.SignatureScheme;
import io.jobpipe.ingest.dedup.Deduplicator;
import io.jobpipe.ingest.dedup.DeliveryIdentities;
import io.jobpipe.ingest.dedup.DeliveryIdentity;
import io.jobpipe.ingest.http.IngestProblemType;
import io.jobpipe.ingest.http.Problems;
import io.jobpipe.ingest.kafka.JobRequestPublisher;
import io.jobpipe.ingest.kafka.KafkaStartup;
import io.jobpipe.ingest.kafka.SendFailures;
import io.jobpipe.ingest.request.JsonBody;
import io.jobpipe.ingest.request.SenderHeaders;
import io.jobpipe.support.logging.LogContext;
import io.jobpipe.support.logging.LogSafe;
import io.opentelemetry.api.trace.Span;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Turns a webhook into a job request: known connection, size within limit, authentic, JSON; then
 * {@link JobRequested} to {@code jobpipe.jobs.requested}. Every refusal happens before anything is sent,
 * and "accepted" is reported only after Kafka acknowledged the record. The outcome is logged with the request's
 * and the job's ids (it is decided on the producer's thread, which carries no request context).
 */
@Singleton
public final class WebhookIntake {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);

    private final Connections connections;
    private final JobRequestPublisher publisher;
    private final KafkaStartup kafka;
    private final IngestProperties settings;
    private final DeliveryIdentities identities;
    private final Deduplicator deduplicator;

    public WebhookIntake(Connections connections, JobRequestPublisher publisher, KafkaStartup kafka,
                         IngestProperties settings, DeliveryIdentities identities, Deduplicator deduplicator) {
        this.connections = connections;
        this.publisher = publisher;
        this.kafka = kafka;
        this.settings = settings;
        this.identities = identities;
        this.deduplicator = deduplicator;
    }

    public CompletableFuture<IntakeOutcome> receive(WebhookDelivery delivery) {
        Optional<Connection> connection = connections.find(delivery.connection());
        if (connection.isEmpty()) {
            return refused(IngestProblemType.UNKNOWN_CONNECTION,
                    "No connection named '" + delivery.connection() + "' accepts webhooks here.");
        }
        byte[] body = delivery.body() == null ? new byte[0] : delivery.body();
        if (body.length > settings.maxBodyBytes()) {
            return refused(IngestProblemType.PAYLOAD_TOO_LARGE, Problems.tooLargeDetail(settings.maxBodyBytes()));
        }
        if (connection.get().verify(delivery.headers(), body) instanceof SignatureScheme.Refused refusal) {
            return refused(IngestProblemType.SIGNATURE_REJECTED, refusal.reason());
        }
        JsonBody.Parsed parsed = JsonBody.parse(body);
        if (parsed instanceof JsonBody.NotJson notJson) {
            return refused(IngestProblemType.INVALID_JSON, "The body is not valid JSON: " + notJson.reason());
        }
        if (parsed instanceof JsonBody.Document document) {
            DeliveryIdentity identity = identities.identify(delivery.connection(),
                    SenderHeaders.deliveryId(delivery.headers()), body);
            return deduplicator.admit(identity, delivery.connection(), () -> publish(delivery, document, identity),
                    () -> duplicate(delivery, identity));
        }
        return refused(IngestProblemType.EMPTY_BODY, "The body is empty; send a JSON object or array.");
    }

    private CompletableFuture<IntakeOutcome> publish(WebhookDelivery delivery, JsonBody.Document document,
                                                     DeliveryIdentity identity) {
        if (!kafka.topicsReady()) {
            return refused(IngestProblemType.BROKER_UNAVAILABLE, "Ingest is still connecting to Kafka; retry shortly.");
        }
        JobRequested request = new JobRequested(EventIds.newEventId(), identity.jobId(), Instant.now(),
                delivery.connection(), identity.deliveryId(),
                SenderHeaders.eventType(delivery.headers()), delivery.requestId(), document.json());
        return publisher.publish(request, delivery.traceContext())
                .handle((metadata, error) -> {
                    try (LogContext ignored = LogContext.open().requestId(request.requestId()).jobId(request.jobId())
                            .traceOf(Span.fromContext(delivery.traceContext()).getSpanContext())) {
                        return error == null ? accepted(request) : notAcknowledged(request, error);
                    }
                });
    }

    private IntakeOutcome accepted(JobRequested request) {
        LOG.info("accepted as job {} (connection {}, event type {})", request.jobId(), request.connection(),
                request.eventType());
        return new IntakeOutcome.Accepted(request.jobId(), JobLinks.of(settings.statusBaseUrl(), request.jobId()));
    }

    private IntakeOutcome duplicate(WebhookDelivery delivery, DeliveryIdentity identity) {
        try (LogContext ignored = LogContext.open().requestId(delivery.requestId()).jobId(identity.jobId())
                .traceOf(Span.fromContext(delivery.traceContext()).getSpanContext())) {
            LOG.info("duplicate of job {} (connection {}, delivery {}): nothing produced", identity.jobId(),
                    delivery.connection(), identity.deliveryId() == null ? "by body hash" : LogSafe.clean(identity.deliveryId()));
        }
        return new IntakeOutcome.Accepted(identity.jobId(), JobLinks.of(settings.statusBaseUrl(), identity.jobId()),
                true);
    }

    private IntakeOutcome notAcknowledged(JobRequested request, Throwable error) {
        SendFailures.Kind kind = SendFailures.classify(error);
        if (kind == SendFailures.Kind.INTERNAL) {
            LOG.error("job request could not be written to Kafka", error);
        } else {
            LOG.warn("job request not acknowledged by Kafka: {}", SendFailures.describe(error));
        }
        return switch (kind) {
            case TOO_LARGE -> new IntakeOutcome.Refused(IngestProblemType.PAYLOAD_TOO_LARGE,
                    "The event is larger than Kafka accepts; send a smaller body.", request.jobId());
            case UNAVAILABLE -> new IntakeOutcome.Refused(IngestProblemType.BROKER_UNAVAILABLE,
                    "Kafka did not acknowledge the event in time; nothing was accepted, retry later.", request.jobId());
            case INTERNAL -> new IntakeOutcome.Refused(IngestProblemType.INTERNAL_ERROR,
                    "The event could not be recorded; quote the requestId when reporting this.", request.jobId());
        };
    }

    private static CompletableFuture<IntakeOutcome> refused(IngestProblemType problem, String detail) {
        return CompletableFuture.completedFuture(new IntakeOutcome.Refused(problem, detail));
    }
}
