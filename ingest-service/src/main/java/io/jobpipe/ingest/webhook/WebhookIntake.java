package io.jobpipe.ingest.webhook;

import io.jobpipe.core.event.EventIds;
import io.jobpipe.core.event.JobRequested;
import io.jobpipe.ingest.config.IngestProperties;
import io.jobpipe.ingest.connection.Connection;
import io.jobpipe.ingest.connection.Connections;
import io.jobpipe.ingest.dedup.Deduplicator;
import io.jobpipe.ingest.dedup.DeliveryIdentities;
import io.jobpipe.ingest.dedup.DeliveryIdentity;
import io.jobpipe.ingest.http.IngestProblemType;
import io.jobpipe.ingest.http.Problems;
import io.jobpipe.ingest.kafka.JobRequestPublisher;
import io.jobpipe.ingest.kafka.KafkaStartup;
import io.jobpipe.ingest.kafka.SendFailures;
import io.jobpipe.ingest.limits.FrontDoorLimits;
import io.jobpipe.ingest.request.DeliveryFields;
import io.jobpipe.ingest.request.JsonBody;
import io.jobpipe.ingest.signature.Verdict;
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
 * Turns a webhook into a job request: known connection, accepted content type, size within the connection's limit,
 * authentic by the connection's scheme (which also names the delivery id and event type, and may answer a
 * handshake at once), JSON; then {@link JobRequested} to {@code jobpipe.jobs.requested}. Every refusal happens before anything is sent,
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
    private final FrontDoorLimits limits;
    private final DeliveryIdentities identities;
    private final Deduplicator deduplicator;

    public WebhookIntake(Connections connections, JobRequestPublisher publisher, KafkaStartup kafka,
                         IngestProperties settings, FrontDoorLimits limits, DeliveryIdentities identities,
                         Deduplicator deduplicator) {
        this.connections = connections;
        this.publisher = publisher;
        this.kafka = kafka;
        this.settings = settings;
        this.limits = limits;
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
        long maxBodyBytes = limits.maxBodyBytes(delivery.connection());
        if (body.length > maxBodyBytes) {
            return refused(IngestProblemType.PAYLOAD_TOO_LARGE, Problems.tooLargeDetail(maxBodyBytes));
        }
        Verdict verdict = connection.get().verify(delivery.headers(), body);
        if (verdict instanceof Verdict.Refused refusal) {
            return refused(IngestProblemType.SIGNATURE_REJECTED, refusal.reason());
        }
        if (verdict instanceof Verdict.Answer answer) {
            return CompletableFuture.completedFuture(new IntakeOutcome.Answered(answer, null));
        }
        Verdict.Authentic authentic = (Verdict.Authentic) verdict;
        // Before anything stores them (deduplication, the job request, logs): length and charset.
        Optional<String> unfit = DeliveryFields.problem(authentic.deliveryId(), authentic.eventType());
        if (unfit.isPresent()) {
            return refused(IngestProblemType.INVALID_DELIVERY_FIELD, unfit.get());
        }
        JsonBody.Parsed parsed = JsonBody.parse(authentic.document(), limits.jsonRules());
        if (parsed instanceof JsonBody.NotJson notJson) {
            return refused(IngestProblemType.INVALID_JSON, "The body is not valid JSON: " + notJson.reason());
        }
        if (parsed instanceof JsonBody.Document document) {
            DeliveryIdentity identity = identities.identify(delivery.connection(), authentic.deliveryId(), body);
            return deduplicator.admit(identity, delivery.connection(),
                    () -> publish(delivery, document, authentic, identity),
                    () -> duplicate(delivery, identity, authentic));
        }
        return refused(IngestProblemType.EMPTY_BODY, "The body is empty; send a JSON object or array.");
    }

    private CompletableFuture<IntakeOutcome> publish(WebhookDelivery delivery, JsonBody.Document document,
                                                     Verdict.Authentic authentic, DeliveryIdentity identity) {
        if (!kafka.topicsReady()) {
            return refused(IngestProblemType.BROKER_UNAVAILABLE, "Ingest is still connecting to Kafka; retry shortly.");
        }
        JobRequested request = new JobRequested(EventIds.newEventId(), identity.jobId(), Instant.now(),
                delivery.connection(), authentic.deliveryId(), authentic.eventType(), delivery.requestId(),
                document.json());
        return publisher.publish(request, delivery.traceContext())
                .handle((metadata, error) -> {
                    try (LogContext ignored = LogContext.open().requestId(request.requestId()).jobId(request.jobId())
                            .traceOf(Span.fromContext(delivery.traceContext()).getSpanContext())) {
                        return error == null ? accepted(request, authentic.reply()) : notAcknowledged(request, error);
                    }
                });
    }

    private IntakeOutcome accepted(JobRequested request, Verdict.AcceptedReply reply) {
        LOG.info("accepted as job {} (connection {}, event type {})", request.jobId(), request.connection(),
                request.eventType());
        JobLinks links = JobLinks.of(settings.statusBaseUrl(), request.jobId());
        return reply == null ? new IntakeOutcome.Accepted(request.jobId(), links)
                : new IntakeOutcome.Answered(reply.answer(request.jobId(), links.statusUrl()), request.jobId());
    }

    /** The first job's answer again; a sender that expects a reply of its own shape (Slack) gets that reply. */
    private IntakeOutcome duplicate(WebhookDelivery delivery, DeliveryIdentity identity, Verdict.Authentic authentic) {
        try (LogContext ignored = LogContext.open().requestId(delivery.requestId()).jobId(identity.jobId())
                .traceOf(Span.fromContext(delivery.traceContext()).getSpanContext())) {
            LOG.info("duplicate of job {} (connection {}, delivery {}): nothing produced", identity.jobId(),
                    delivery.connection(),
                    identity.deliveryId() == null ? "by body hash" : LogSafe.clean(identity.deliveryId()));
        }
        JobLinks links = JobLinks.of(settings.statusBaseUrl(), identity.jobId());
        return authentic.reply() == null ? new IntakeOutcome.Accepted(identity.jobId(), links, true)
                : new IntakeOutcome.Answered(authentic.reply().answer(identity.jobId(), links.statusUrl()),
                identity.jobId(), true);
    }

    private IntakeOutcome notAcknowledged(JobRequested request, Throwable error) {
        SendFailures.Kind kind = SendFailures.classifyAndLog(error, LOG, "job request");
        return switch (kind) {
            case TOO_LARGE -> new IntakeOutcome.Refused(IngestProblemType.PAYLOAD_TOO_LARGE,
                    "The event is larger than Kafka accepts; send a smaller body.", request.jobId());
            case UNAVAILABLE -> new IntakeOutcome.Refused(IngestProblemType.BROKER_UNAVAILABLE,
                    SendFailures.NOT_ACKNOWLEDGED_DETAIL, request.jobId());
            case INTERNAL -> new IntakeOutcome.Refused(IngestProblemType.INTERNAL_ERROR,
                    "The event could not be recorded; quote the requestId when reporting this.", request.jobId());
        };
    }

    private static CompletableFuture<IntakeOutcome> refused(IngestProblemType problem, String detail) {
        return CompletableFuture.completedFuture(new IntakeOutcome.Refused(problem, detail));
    }
}
