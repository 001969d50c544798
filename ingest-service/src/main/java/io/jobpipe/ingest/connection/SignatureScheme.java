package io.jobpipe.ingest.connection;

import io.jobpipe.ingest.request.HeaderLookup;

/**
 * How the senders of a connection prove a request is theirs (GitHub, Slack, Stripe, Standard Webhooks, or
 * none). Each implementation is a bean; a connection picks one by {@link #id()}. Verification sees the raw
 * body bytes, before any parsing, because every signing scheme signs exactly those bytes.
 */
public interface SignatureScheme {

    /** The value of {@code jobpipe.ingest.connections.<name>.scheme} that selects this scheme. */
    String id();

    SignatureCheck verify(ConnectionProperties connection, HeaderLookup headers, byte[] body);

    /** A verdict on one request; a refusal's reason is shown to the sender, so it names no secret. */
    sealed interface SignatureCheck permits Verified, Refused {
    }

    record Verified() implements SignatureCheck {
    }

    record Refused(String reason) implements SignatureCheck {
    }
}
