package io.jobpipe.ingest.dedup;

import io.jobpipe.ingest.request.HeaderLookup;

/**
 * Where a connection's delivery id comes from: each sender names its deliveries its own way (GitHub's
 * {@code X-GitHub-Delivery}, Standard Webhooks' {@code webhook-id}, a generic sender's {@code Idempotency-Key}, or a
 * field of the body). A verified request is asked once; the answer decides the job id.
 */
@FunctionalInterface
public interface DeliveryIdSource {

    /** The delivery id of this request on {@code connection}, or null when the sender gave none. */
    String deliveryId(String connection, HeaderLookup headers, byte[] body);
}
