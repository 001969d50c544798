package io.jobpipe.ingest.connection;

import io.jobpipe.ingest.request.HeaderLookup;
import io.jobpipe.ingest.signature.SignatureScheme;
import io.jobpipe.ingest.signature.Verdict;

/** An enabled connection bound to the scheme, holding its secrets, that verifies it. */
public record Connection(ConnectionProperties settings, SignatureScheme scheme) {

    public String name() {
        return settings.name();
    }

    public Verdict verify(HeaderLookup headers, byte[] body) {
        return scheme.verify(headers, body);
    }

    /** The connection's own body limit, else the service-wide one. */
    public long maxBodyBytes(long serviceDefault) {
        return settings.maxBodyBytes() == null ? serviceDefault : settings.maxBodyBytes();
    }
}
