package io.jobpipe.ingest.connection;

import io.jobpipe.ingest.request.HeaderLookup;
import io.jobpipe.ingest.signature.SignatureScheme;
import io.jobpipe.ingest.signature.Verdict;

/**
 * An enabled connection bound to the scheme, holding its secrets, that verifies it. Its content types, body limit
 * and rates are front-door limits ({@code ConnectionLimitsProperties}), checked before the body is read.
 */
public record Connection(ConnectionProperties settings, SignatureScheme scheme) {

    public String name() {
        return settings.name();
    }

    public Verdict verify(HeaderLookup headers, byte[] body) {
        return scheme.verify(headers, body);
    }
}
