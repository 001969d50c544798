package io.jobpipe.ingest.support;

import io.jobpipe.ingest.connection.ConnectionProperties;
import io.jobpipe.ingest.connection.SignatureScheme;
import io.jobpipe.ingest.request.HeaderLookup;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;

/**
 * Exists only in tests: a scheme that verifies by a fixed token, so the front-door tests can see a 401 through the
 * real intake without depending on a particular signing scheme.
 */
@Requires(env = Environment.TEST)
@Singleton
public final class TestTokenScheme implements SignatureScheme {
    public static final String ID = "test-token";
    public static final String HEADER = "X-Test-Token";
    public static final String TOKEN = "let-me-in";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public SignatureCheck verify(ConnectionProperties connection, HeaderLookup headers, byte[] body) {
        return TOKEN.equals(headers.get(HEADER)) ? new Verified() : new Refused("missing or wrong " + HEADER);
    }
}
