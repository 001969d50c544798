package io.jobpipe.runtime.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Built-in webhook bodies, shaped like what each sender really posts, with the headers that sender adds.
 * {@code patch} is seed 000's file-writing shape: {@code {"id","role","target_file","patch":{"mutations":[…]}}}.
 */
public enum WebhookSample {
    GENERIC("order.created"),
    GITHUB("push"),
    SLACK("app_mention"),
    STRIPE("invoice.paid"),
    PATCH("patch");

    private final String eventType;

    WebhookSample(String eventType) {
        this.eventType = eventType;
    }

    public static WebhookSample named(String name) {
        for (WebhookSample sample : values()) {
            if (sample.label().equalsIgnoreCase(name.trim())) {
                return sample;
            }
        }
        throw new IllegalArgumentException("no sample '" + name + "'; choose one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(WebhookSample::label).collect(Collectors.joining(", "));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The event type this sender would announce for the sample body. */
    public String eventType() {
        return eventType;
    }

    public byte[] body() {
        String resource = "/samples/" + label() + ".json";
        try (InputStream in = WebhookSample.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("sample resource " + resource + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /**
     * The body with {@code deliveryId} where the sender keeps its delivery id inside the body (Slack's
     * {@code event_id}, Stripe's event {@code id}), so each send is a new delivery and a resend the same one.
     */
    public byte[] bodyFor(String deliveryId) {
        String field = this == SLACK ? "event_id" : this == STRIPE ? "id" : null;
        if (field == null || deliveryId == null) {
            return body();
        }
        try {
            com.fasterxml.jackson.databind.node.ObjectNode json =
                    (com.fasterxml.jackson.databind.node.ObjectNode) io.jobpipe.core.event.Json.MAPPER.readTree(body());
            json.put(field, deliveryId);
            return io.jobpipe.core.event.Json.MAPPER.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite sample " + label(), e);
        }
    }

    /** The sample of the sender a connection is named after (github, slack, stripe), else the generic one. */
    public static WebhookSample forConnection(String connection) {
        for (WebhookSample sample : values()) {
            if (sample != GENERIC && sample != PATCH && sample.label().equals(connection)) {
                return sample;
            }
        }
        return GENERIC;
    }

    /** Headers the real sender adds besides the generic ones (GitHub names its event and delivery its own way). */
    public Map<String, String> senderHeaders(String eventType, String deliveryId) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (this == GITHUB) {
            headers.put("X-GitHub-Event", eventType);
            if (deliveryId != null) {
                headers.put("X-GitHub-Delivery", deliveryId);
            }
            headers.put("X-GitHub-Hook-ID", "460137922");
        }
        return headers;
    }
}
