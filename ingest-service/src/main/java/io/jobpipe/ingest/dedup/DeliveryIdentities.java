package io.jobpipe.ingest.dedup;

import io.jobpipe.core.event.EventIds;
import io.jobpipe.ingest.request.HeaderLookup;
import io.jobpipe.ingest.request.SenderHeaders;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Gives each verified delivery its job id: keyed (HMAC) from (connection, delivery id) when the sender names its
 * delivery, or from the body's SHA-256 on a connection that deduplicates by body; otherwise a random id, and the
 * delivery cannot be recognised when it comes again.
 */
@Singleton
public final class DeliveryIdentities {
    private final JobIds jobIds;
    private final DeliveryIdSource deliveryIds;
    private final Map<String, ConnectionDedupProperties> connections;

    public DeliveryIdentities(DeduplicationProperties settings, List<ConnectionDedupProperties> connections) {
        this(new JobIds(settings.jobIdKeyBytes()), (connection, headers, body) -> SenderHeaders.deliveryId(headers),
                connections);
    }

    DeliveryIdentities(JobIds jobIds, DeliveryIdSource deliveryIds, List<ConnectionDedupProperties> connections) {
        this.jobIds = jobIds;
        this.deliveryIds = deliveryIds;
        this.connections = connections.stream()
                .collect(Collectors.toUnmodifiableMap(ConnectionDedupProperties::name, Function.identity()));
    }

    public DeliveryIdentity identify(String connection, HeaderLookup headers, byte[] body) {
        String deliveryId = deliveryIds.deliveryId(connection, headers, body);
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
