package io.jobpipe.ingest.request;

import java.util.List;

/**
 * What the sender's headers say about a delivery. The well-known headers of GitHub, Standard Webhooks
 * and generic senders are tried in a fixed order so the same delivery always yields the same answer.
 */
public final class SenderHeaders {
    public static final String DEFAULT_EVENT_TYPE = "webhook";

    /** GitHub first: its senders also set generic headers that describe the transport, not the event. */
    static final List<String> EVENT_TYPE_HEADERS = List.of("X-GitHub-Event", "X-Event-Type");
    static final List<String> DELIVERY_ID_HEADERS =
            List.of("X-GitHub-Delivery", "webhook-id", "X-Delivery-Id", "Idempotency-Key");

    private SenderHeaders() {
    }

    /** The sender's event type, or {@value #DEFAULT_EVENT_TYPE} when no known header names one. */
    public static String eventType(HeaderLookup headers) {
        String type = firstPresent(headers, EVENT_TYPE_HEADERS);
        return type == null ? DEFAULT_EVENT_TYPE : type;
    }

    /** The sender's delivery id, or null: without one a resend cannot be recognised as the same delivery. */
    public static String deliveryId(HeaderLookup headers) {
        return firstPresent(headers, DELIVERY_ID_HEADERS);
    }

    private static String firstPresent(HeaderLookup headers, List<String> names) {
        for (String name : names) {
            String value = headers.get(name);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }
}
