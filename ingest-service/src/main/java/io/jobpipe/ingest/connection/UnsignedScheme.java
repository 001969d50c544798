package io.jobpipe.ingest.connection;

import io.jobpipe.ingest.request.HeaderLookup;
import jakarta.inject.Singleton;

/** Scheme {@code none}: every request is taken as authentic. Meant for local development only. */
@Singleton
public final class UnsignedScheme implements SignatureScheme {
    public static final String ID = "none";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public SignatureCheck verify(ConnectionProperties connection, HeaderLookup headers, byte[] body) {
        return new Verified();
    }
}
