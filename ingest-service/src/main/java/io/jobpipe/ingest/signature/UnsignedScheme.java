package io.jobpipe.ingest.signature;

import io.jobpipe.ingest.request.HeaderLookup;

/**
 * Scheme {@code none}: every request is taken as authentic. Allowed only in the dev profile; a connection using it
 * anywhere else stops the service at start-up. Delivery id: {@code Idempotency-Key}, else a well-known header.
 */
public final class UnsignedScheme implements SignatureScheme {
    public static final String ID = "none";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Verdict verify(HeaderLookup headers, byte[] body) {
        return GenericHeaders.authentic(headers, body);
    }
}
