package io.jobpipe.ingest.signature;

import io.jobpipe.ingest.request.HeaderLookup;

/**
 * How the senders of one connection prove a request is theirs, bound to that connection's secrets. Verification
 * sees the raw body bytes, before any parsing, because every scheme signs exactly those bytes, and compares MACs in
 * constant time. Each scheme also says which delivery id and event type the request carries.
 */
public interface SignatureScheme {

    /** The value of {@code jobpipe.ingest.connections.<name>.scheme} that selects this scheme. */
    String id();

    Verdict verify(HeaderLookup headers, byte[] body);
}
