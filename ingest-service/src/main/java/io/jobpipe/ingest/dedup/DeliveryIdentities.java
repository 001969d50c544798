package io.jobpipe.ingest.dedup;

import io.jobpipe.core.event.EventIds;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Gives each verified delivery its job id: keyed (HMAC) from (connection, delivery id) when the sender names its
 * delivery, or from the body's SHA-256 on a connection that deduplicates by body; otherwise a random id, and the
 * delivery cannot be recognised when it comes again. Where the delivery id comes from is the connection's scheme's
 * business (GitHub's {@code X-GitHub-Delivery}, Standard Webhooks' {@code webhook-id}, a generic sender's
 * {@code Idempotency-Key}, a field of the body); this class only turns it into a job id.
 */
@Singleton
public final class DeliveryIdentities {
    private final JobIds jobIds;
    private final Map<String, ConnectionDedupProperties> connections;

    public DeliveryIdentities(DeduplicationProperties settings, List<ConnectionDedupProperties> connections) {
        this(new JobIds(settings.jobIdKeyBytes()), connections);
    }

    DeliveryIdentities(JobIds jobIds, List<ConnectionDedupProperties> connections) {
        this.jobIds = jobIds;
        this.connections = connections.stream()
                .collect(Collectors.toUnmodifiableMap(ConnectionDedupProperties::name, Function.identity()));
    }

    /** @param deliveryId the sender's delivery id as the connection's scheme found it, or null when there is none */
    public DeliveryIdentity identify(String connection, String deliveryId, byte[] body) {
        if (deliveryId != null) {
            return new DeliveryIdentity(jobIds.forDelivery(connection, deliveryId), deliveryId, true);
        }
        ConnectionDedupProperties settings = connections.get(connection);
        if (settings != null && settings.dedupByBodyHash()) {
            return new DeliveryIdentity(jobIds.forDelivery(connection, JobIds.bodyHash(body)), null, true);
        }
        return new DeliveryIdentity(EventIds.newJobId(), null, false);
    }
}
