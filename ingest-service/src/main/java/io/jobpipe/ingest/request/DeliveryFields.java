package io.jobpipe.ingest.request;

import java.util.Optional;

/**
 * What a sender may name a delivery and an event type. Both are stored (the job request, the job's history, logs,
 * metrics, deduplication keys) and shown back, so they are checked before anything stores them: a delivery id is
 * 1-{@value #MAX_DELIVERY_ID_LENGTH} characters of {@code A-Z a-z 0-9 . _ - : ~ + = / @} (GUIDs, {@code evt_…},
 * {@code msg_…}, Base64 idempotency keys), an event type 1-{@value #MAX_EVENT_TYPE_LENGTH} characters of
 * {@code A-Z a-z 0-9 . _ - : /} ({@code pull_request}, {@code invoice.paid}, {@code event_callback}).
 */
public final class DeliveryFields {
    public static final int MAX_DELIVERY_ID_LENGTH = 200;
    public static final int MAX_EVENT_TYPE_LENGTH = 100;

    private DeliveryFields() {
    }

    /** Why the pair cannot be stored, or empty when it can; a null delivery id means the sender gave none. */
    public static Optional<String> problem(String deliveryId, String eventType) {
        if (deliveryId != null) {
            Optional<String> id = check("delivery id", deliveryId, MAX_DELIVERY_ID_LENGTH, "._-:~+=/@");
            if (id.isPresent()) {
                return id;
            }
        }
        if (eventType == null) {
            return Optional.empty();
        }
        return check("event type", eventType, MAX_EVENT_TYPE_LENGTH, "._-:/");
    }

    private static Optional<String> check(String what, String value, int maxLength, String punctuation) {
        if (value.isEmpty()) {
            return Optional.of("The " + what + " is empty.");
        }
        if (value.length() > maxLength) {
            return Optional.of("The " + what + " is " + value.length() + " characters long; at most " + maxLength
                    + " are accepted.");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || punctuation.indexOf(c) >= 0;
            if (!allowed) {
                // The offending character is described, never echoed: it may be a control character.
                return Optional.of("The " + what + " holds a character outside A-Z, a-z, 0-9 and '" + punctuation
                        + "' at position " + i + ".");
            }
        }
        return Optional.empty();
    }
}
