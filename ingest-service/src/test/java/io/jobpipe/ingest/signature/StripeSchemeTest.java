package io.jobpipe.ingest.signature;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.jobpipe.ingest.signature.TestHeaders.at;
import static io.jobpipe.ingest.signature.TestHeaders.of;
import static io.jobpipe.ingest.signature.TestHeaders.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stripe publishes the construction (docs.stripe.com/webhooks, "Verify signatures manually": HMAC-SHA256 of
 * {@code t + "." + payload}, hex, compared with each {@code v1}) but no fixed test vector; its libraries' tests sign
 * at run time. The expected value here was computed independently with
 * {@code printf '%s' '1700000000.<body>' | openssl dgst -sha256 -hmac whsec_test_secret}, with the secret and event id
 * of stripe-node's webhook tests.
 */
class StripeSchemeTest {
    private static final String SECRET = "whsec_test_secret";
    private static final long T = 1_700_000_000L;
    private static final byte[] BODY = utf8("{\"id\":\"evt_test_webhook\",\"object\":\"event\",\"type\":\"invoice.paid\"}");
    private static final String V1 = "92a67d03f3996371aee723f680b97033696bcd5bb8a1826c465e55a4d569d2c1";
    private static final String OTHER = "6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39";

    private static StripeScheme scheme(long now, String... secrets) {
        return new StripeScheme(Secrets.utf8(List.of(secrets)), Duration.ofMinutes(5), at(now));
    }

    private static Verdict verify(StripeScheme scheme, String header, byte[] body) {
        return scheme.verify(of(Map.of("Stripe-Signature", header)), body);
    }

    @Test
    void shouldVerifyAndTakeTheEventsIdAndType() {
        assertThat(verify(scheme(T + 10, SECRET), "t=" + T + ",v1=" + V1, BODY))
                .isInstanceOfSatisfying(Verdict.Authentic.class, a -> {
                    assertThat(a.deliveryId()).isEqualTo("evt_test_webhook");
                    assertThat(a.eventType()).isEqualTo("invoice.paid");
                });
    }

    @Test
    void shouldAcceptAnyOfSeveralV1SignaturesAndIgnoreOtherSchemes() {
        assertThat(verify(scheme(T, SECRET), "t=" + T + ",v1=" + OTHER + ",v1=" + V1 + ",v0=" + OTHER, BODY))
                .isInstanceOf(Verdict.Authentic.class);
        assertThat(verify(scheme(T, SECRET), "t=" + T + ",v0=" + V1, BODY))
                .isEqualTo(new Verdict.Refused("The Stripe-Signature header carries no v1 signature."));
    }

    @Test
    void shouldRefuseATimestampOutsideTheTolerance() {
        assertThat(verify(scheme(T + 301, SECRET), "t=" + T + ",v1=" + V1, BODY))
                .isInstanceOfSatisfying(Verdict.Refused.class, r -> assertThat(r.reason()).contains("stale"));
        assertThat(verify(scheme(T - 301, SECRET), "t=" + T + ",v1=" + V1, BODY)).isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void shouldRefuseTamperedBodyMovedTimestampAndMissingHeader() {
        assertThat(verify(scheme(T, SECRET), "t=" + T + ",v1=" + V1, utf8("{\"id\":\"evt_test_webhook\"}")))
                .isInstanceOf(Verdict.Refused.class);
        assertThat(verify(scheme(T, SECRET), "t=" + (T + 1) + ",v1=" + V1, BODY)).isInstanceOf(Verdict.Refused.class);
        assertThat(verify(scheme(T, SECRET), "v1=" + V1, BODY)).isInstanceOf(Verdict.Refused.class);
        assertThat(scheme(T, SECRET).verify(of(Map.of()), BODY))
                .isEqualTo(new Verdict.Refused("The Stripe-Signature header is missing."));
    }

    @Test
    void shouldVerifyWithEitherSecretDuringRotation() {
        assertThat(verify(scheme(T, "whsec_rolled", SECRET), "t=" + T + ",v1=" + V1, BODY)).isInstanceOf(Verdict.Authentic.class);
        assertThat(verify(scheme(T, "whsec_rolled"), "t=" + T + ",v1=" + V1, BODY)).isInstanceOf(Verdict.Refused.class);
    }
}
