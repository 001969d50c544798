package io.jobpipe.runtime.client;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One webhook to post to ingest: {@code POST <ingest>/webhooks/<connection>} with a JSON body.
 * The event type and delivery id travel in {@link #EVENT_TYPE} and {@link #DELIVERY_ID}; senders' own headers
 * (GitHub's) and any extra ones ride along. Signing arrives with signed connections.
 */
public record WebhookRequest(String connection, byte[] body, String eventType, String deliveryId,
                             Map<String, String> headers) {
    public static final String EVENT_TYPE = "X-Event-Type";
    public static final String DELIVERY_ID = "X-Delivery-Id";

    public WebhookRequest {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(body, "body");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public URI target(String ingestUrl) {
        return HttpClients.resolve(ingestUrl, "/webhooks/" + HttpClients.segment(connection));
    }

    public WebhookRequest withDeliveryId(String id, Map<String, String> senderHeaders) {
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.putAll(senderHeaders);
        return new WebhookRequest(connection, body, eventType, id, merged);
    }

    public HttpRequest toHttpRequest(URI target, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, application/problem+json");
        if (eventType != null && !eventType.isBlank()) {
            builder.header(EVENT_TYPE, eventType);
        }
        if (deliveryId != null && !deliveryId.isBlank()) {
            builder.header(DELIVERY_ID, deliveryId);
        }
        headers.forEach(builder::header);
        return builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }
}
