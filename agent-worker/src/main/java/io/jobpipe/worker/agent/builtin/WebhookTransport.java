package io.jobpipe.worker.agent.builtin;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/** Posts one webhook and returns the HTTP status; the notify agent stays free of any HTTP client. */
@FunctionalInterface
public interface WebhookTransport {

    /** @throws IOException when no HTTP status could be obtained (connection refused, timeout, ...) */
    int post(URI url, Map<String, String> headers, byte[] body) throws IOException;
}
