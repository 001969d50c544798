package io.jobpipe.ingest.signature;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.ingest.request.HeaderLookup;
import io.jobpipe.ingest.request.SenderHeaders;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scheme {@code stripe}: {@code Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=…]}, each {@code v1} a
 * hex HMAC-SHA256 of {@code t + "." + raw body} under the endpoint's signing secret (the whole {@code whsec_…} string
 * as UTF-8). Several {@code v1} values are normal while Stripe rolls a secret; any match verifies. The timestamp must
 * lie within the tolerance (Stripe's libraries default to 5 minutes). The delivery id is the event's {@code id}, which
 * Stripe keeps on every retry; the event type is its {@code type}.
 */
public final class StripeScheme implements SignatureScheme {
    public static final String ID = "stripe";
    public static final String SIGNATURE = "Stripe-Signature";

    private final List<byte[]> secrets;
    private final Duration tolerance;
    private final Clock clock;

    public StripeScheme(List<byte[]> secrets, Duration tolerance, Clock clock) {
        this.secrets = Secrets.required(secrets);
        this.tolerance = tolerance;
        this.clock = clock;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Verdict verify(HeaderLookup headers, byte[] body) {
        String header = headers.get(SIGNATURE);
        if (header == null || header.isBlank()) {
            return new Verdict.Refused("The " + SIGNATURE + " header is missing.");
        }
        String timestamp = null;
        List<byte[]> v1 = new ArrayList<>();
        for (String item : header.split(",")) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = item.substring(0, eq).strip();
            String value = item.substring(eq + 1).strip();
            if (key.equals("t") && timestamp == null) {
                timestamp = value;
            } else if (key.equals("v1")) {
                byte[] bytes = Hmac.hexOrNull(value);
                if (bytes != null) {
                    v1.add(bytes);
                }
            }
        }
        if (v1.isEmpty()) {
            return new Verdict.Refused("The " + SIGNATURE + " header carries no v1 signature.");
        }
        String stale = Timestamps.staleness(timestamp, clock, tolerance);
        if (stale != null) {
            return new Verdict.Refused("The timestamp (t) of the " + SIGNATURE + " header is " + stale + ".");
        }
        if (!Hmac.anyMatches(secrets, v1, Hmac.utf8(timestamp + "."), body)) {
            return new Verdict.Refused("No v1 signature of the " + SIGNATURE + " header matches the body.");
        }
        JsonNode event = JsonFields.readOrNull(body);
        String type = JsonFields.text(event, "/type");
        return new Verdict.Authentic(JsonFields.text(event, "/id"),
                type == null ? SenderHeaders.DEFAULT_EVENT_TYPE : type, body, null);
    }
}
