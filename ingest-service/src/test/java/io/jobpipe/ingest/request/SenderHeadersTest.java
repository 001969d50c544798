package io.jobpipe.ingest.request;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class SenderHeadersTest {

    private static HeaderLookup headers(Map<String, String> values) {
        Map<String, String> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseInsensitive.putAll(values);
        return caseInsensitive::get;
    }

    @Test
    void shouldTakeEventTypeFromGitHubHeaderBeforeGenericOne() {
        HeaderLookup h = headers(Map.of("X-GitHub-Event", "push", "X-Event-Type", "generic"));
        assertThat(SenderHeaders.eventType(h)).isEqualTo("push");
    }

    @Test
    void shouldFallBackToGenericEventTypeHeader() {
        assertThat(SenderHeaders.eventType(headers(Map.of("x-event-type", " order.created ")))).isEqualTo("order.created");
    }

    @Test
    void shouldDefaultEventTypeToWebhookWhenNoHeaderOrOnlyBlankOnes() {
        assertThat(SenderHeaders.eventType(headers(Map.of()))).isEqualTo("webhook");
        assertThat(SenderHeaders.eventType(headers(Map.of("X-GitHub-Event", "  ")))).isEqualTo("webhook");
    }

    @Test
    void shouldTakeDeliveryIdFromHeadersInPrecedenceOrder() {
        Map<String, String> all = Map.of("X-GitHub-Delivery", "gh-1", "webhook-id", "msg_2",
                "X-Delivery-Id", "d-3", "Idempotency-Key", "k-4");
        assertThat(SenderHeaders.deliveryId(headers(all))).isEqualTo("gh-1");
        assertThat(SenderHeaders.deliveryId(headers(Map.of("Webhook-Id", "msg_2", "X-Delivery-Id", "d-3",
                "Idempotency-Key", "k-4")))).isEqualTo("msg_2");
        assertThat(SenderHeaders.deliveryId(headers(Map.of("x-delivery-id", "d-3", "Idempotency-Key", "k-4"))))
                .isEqualTo("d-3");
        assertThat(SenderHeaders.deliveryId(headers(Map.of("idempotency-key", "k-4")))).isEqualTo("k-4");
    }

    @Test
    void shouldHaveNoDeliveryIdWhenSenderGaveNone() {
        assertThat(SenderHeaders.deliveryId(headers(Map.of("X-GitHub-Event", "push", "webhook-id", "")))).isNull();
    }
}
