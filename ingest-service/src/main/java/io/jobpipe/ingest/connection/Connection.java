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

    /**
     * Whether the connection takes a body labelled {@code contentType}: any the endpoint reads when the connection
     * lists none, else one of its {@code content-types} (parameters such as {@code charset} are ignored).
     */
    public boolean accepts(String contentType) {
        if (settings.contentTypes().isEmpty()) {
            return true;
        }
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return settings.contentTypes().stream().anyMatch(accepted -> accepted.strip().equalsIgnoreCase(mediaType));
    }

    /** The connection's own body limit, else the service-wide one. */
    public long maxBodyBytes(long serviceDefault) {
        return settings.maxBodyBytes() == null ? serviceDefault : settings.maxBodyBytes();
    }
}
