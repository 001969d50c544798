package io.jobpipe.worker.delivery;

import io.jobpipe.worker.agent.builtin.WebhookTransport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Posts webhooks with the JDK's HTTP client; redirects are not followed, so a signed body goes only where configured. */
public final class JdkWebhookTransport implements WebhookTransport {
    private final HttpClient client;
    private final Duration requestTimeout;

    public JdkWebhookTransport(Duration connectTimeout, Duration requestTimeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.requestTimeout = requestTimeout;
    }

    @Override
    public int post(URI url, Map<String, String> headers, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(requestTimeout)
                .header("User-Agent", "jobpipe-agent-worker")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while posting to " + url, e);
        }
    }
}
