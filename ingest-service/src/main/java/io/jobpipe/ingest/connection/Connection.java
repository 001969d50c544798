package io.jobpipe.ingest.connection;

import io.jobpipe.ingest.request.HeaderLookup;

/** An enabled connection bound to the scheme that verifies it. */
public record Connection(ConnectionProperties settings, SignatureScheme scheme) {

    public String name() {
        return settings.name();
    }

    public SignatureScheme.SignatureCheck verify(HeaderLookup headers, byte[] body) {
        return scheme.verify(settings, headers, body);
    }
}
