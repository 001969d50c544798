package io.jobpipe.ingest.request;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryFieldsTest {

    @ParameterizedTest
    @ValueSource(strings = {"72d3162e-cc78-11e3-81ab-4c9367dc0958", "evt_1NG8Du2eZvKYlo2CUI79vXWy",
            "msg_p5jXN8AQM9LWM0D4loKWxJek", "Ev01ABCDEF", "a2V5LWJhc2U2NA==", "tenant/42:delivery@7~x+y"})
    void shouldAcceptTheDeliveryIdsRealSendersUse(String deliveryId) {
        assertThat(DeliveryFields.problem(deliveryId, "pull_request")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pull_request", "invoice.payment_succeeded", "event_callback", "user.created",
            "app:install/v2"})
    void shouldAcceptTheEventTypesRealSendersUse(String eventType) {
        assertThat(DeliveryFields.problem(null, eventType)).isEmpty();
    }

    @Test
    void shouldAcceptNoDeliveryIdAtAll() {
        assertThat(DeliveryFields.problem(null, "webhook")).isEmpty();
    }

    @Test
    void shouldRefuseADeliveryIdLongerThanTheLimit() {
        assertThat(DeliveryFields.problem("d".repeat(DeliveryFields.MAX_DELIVERY_ID_LENGTH), "t")).isEmpty();
        assertThat(DeliveryFields.problem("d".repeat(DeliveryFields.MAX_DELIVERY_ID_LENGTH + 1), "t"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("delivery id", "201", "200"));
    }

    @Test
    void shouldRefuseAnEventTypeLongerThanTheLimit() {
        assertThat(DeliveryFields.problem(null, "e".repeat(DeliveryFields.MAX_EVENT_TYPE_LENGTH + 1)))
                .hasValueSatisfying(reason -> assertThat(reason).contains("event type"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a\nlevel=ERROR", "a\u0000", "ü", "\"quoted\"", "a;b", "<script>", "a\\b", ""})
    void shouldRefuseADeliveryIdOutsideTheCharsetWithoutEchoingIt(String deliveryId) {
        assertThat(DeliveryFields.problem(deliveryId, "t")).hasValueSatisfying(reason -> {
            assertThat(reason).contains("delivery id");
            if (!deliveryId.isEmpty()) {
                assertThat(reason).doesNotContain(deliveryId);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"push event", "push\r\n", "a@b", "a=b", "ä"})
    void shouldRefuseAnEventTypeOutsideItsCharset(String eventType) {
        assertThat(DeliveryFields.problem("id-1", eventType)).isPresent();
    }
}
