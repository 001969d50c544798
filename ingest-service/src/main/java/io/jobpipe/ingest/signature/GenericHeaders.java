package io.jobpipe.ingest.signature;

import io.jobpipe.ingest.request.HeaderLookup;
import io.jobpipe.ingest.request.SenderHeaders;

/** Delivery id and event type of a generic sender (schemes {@code hmac} and {@code none}). */
final class GenericHeaders {
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private GenericHeaders() {
    }

    /** {@code Idempotency-Key} first; else the well-known delivery headers of {@link SenderHeaders}. */
    static String deliveryId(HeaderLookup headers) {
        String key = headers.get(IDEMPOTENCY_KEY);
        return key != null && !key.isBlank() ? key.strip() : SenderHeaders.deliveryId(headers);
    }

    static Verdict.Authentic authentic(HeaderLookup headers, byte[] body) {
        return new Verdict.Authentic(deliveryId(headers), SenderHeaders.eventType(headers), body, null);
    }
}
