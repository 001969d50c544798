package io.jobpipe.worker.delivery;

import io.jobpipe.agent.AgentException;
import io.jobpipe.worker.agent.builtin.WebhookTransport;
import io.jobpipe.worker.outbound.OutboundHttp;
import io.jobpipe.worker.outbound.OutboundRefused;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Posts the notify agent's webhooks through the worker's guarded {@link OutboundHttp}: a subscriber the outbound
 * policy refuses (an internal address, a redirect) fails the stage for good ({@code OutboundRefused}); anything else
 * that gets no status is an {@link IOException}, which the agent retries.
 */
public final class OutboundWebhookTransport implements WebhookTransport {
    public static final String OUTBOUND_REFUSED = "OutboundRefused";

    private final OutboundHttp http;
    private final Duration requestTimeout;

    public OutboundWebhookTransport(OutboundHttp http, Duration requestTimeout) {
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public int post(URI url, Map<String, String> headers, byte[] body) throws IOException {
        try {
            return http.post(url, headers, body, requestTimeout).status();
        } catch (OutboundRefused e) {
            throw AgentException.permanent(OUTBOUND_REFUSED, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while delivering a webhook");
        }
    }
}
