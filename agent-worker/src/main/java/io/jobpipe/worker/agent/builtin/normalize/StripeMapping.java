package io.jobpipe.worker.agent.builtin.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.worker.agent.builtin.CanonicalEvent;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * Stripe events: {@code "object": "event"} with a {@code type} and {@code data.object}. The subject names
 * the object and its amount; the link points at the event in the Stripe dashboard (test or live).
 */
public final class StripeMapping implements SourceMapping {

    @Override
    public boolean recognises(String connection, String eventType, JsonNode payload) {
        return payload.isObject() && "event".equals(payload.path("object").asText())
                && payload.path("type").isTextual() && payload.path("data").path("object").isObject();
    }

    @Override
    public CanonicalEvent map(String connection, String eventType, JsonNode payload) {
        JsonNode object = payload.path("data").path("object");
        String id = Fields.text(payload, "id");
        String dashboard = "https://dashboard.stripe.com/" + (payload.path("livemode").asBoolean(false) ? "" : "test/");
        List<String> links = id == null ? List.of() : List.of(dashboard + "events/" + id);
        return new CanonicalEvent("stripe", payload.path("type").asText(), Fields.shorten(subject(object)),
                Fields.text(object, "customer_email", "customer", "billing_details.email"), links,
                Fields.firstInstant(payload, "created"));
    }

    private static String subject(JsonNode object) {
        StringBuilder subject = new StringBuilder();
        subject.append(Fields.text(object, "object") == null ? "object" : Fields.text(object, "object"));
        String id = Fields.text(object, "id");
        if (id != null) {
            subject.append(' ').append(id);
        }
        String amount = amount(object);
        if (amount != null) {
            subject.append(" (").append(amount).append(')');
        }
        String description = Fields.text(object, "description");
        if (description != null) {
            subject.append(": ").append(description);
        }
        return subject.toString();
    }

    /** Stripe amounts are in the currency's minor unit; two decimals fit the common currencies. */
    private static String amount(JsonNode object) {
        JsonNode amount = object.has("amount_due") ? object.path("amount_due")
                : object.has("amount") ? object.path("amount") : object.path("amount_total");
        String currency = Fields.text(object, "currency");
        if (!amount.isIntegralNumber() || currency == null) {
            return null;
        }
        return BigDecimal.valueOf(amount.asLong(), 2).toPlainString() + " " + currency.toUpperCase(Locale.ROOT);
    }
}
