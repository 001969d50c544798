package io.jobpipe.ingest.signature;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.jobpipe.ingest.signature.TestHeaders.at;
import static io.jobpipe.ingest.signature.TestHeaders.of;
import static io.jobpipe.ingest.signature.TestHeaders.utf8;
import static org.assertj.core.api.Assertions.assertThat;

class StandardWebhooksSchemeTest {
    // standard-webhooks/standard-webhooks, libraries/java/src/test/.../WebhookTest.java (verifyWebhookSignWorks and
    // TestPayload): the spec's example message, secret and expected signature.
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long T = 1614265330;
    private static final byte[] BODY = utf8("{\"test\": 2432232314}");
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    // From the same test: signatures that must be skipped (wrong value, other version) around the valid one.
    private static final String DECOY = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";

    private static StandardWebhooksScheme scheme(long now, String... secrets) {
        return new StandardWebhooksScheme(List.of(secrets), Duration.ofMinutes(5), at(now));
    }

    private static Map<String, String> headers(String id, long timestamp, String signature) {
        return Map.of("webhook-id", id, "webhook-timestamp", String.valueOf(timestamp), "webhook-signature", signature);
    }

    @Test
    void shouldVerifyTheSpecExampleAndTakeTheMessageIdAsDeliveryId() {
        assertThat(scheme(T, SECRET).verify(of(headers(ID, T, SIGNATURE)), BODY))
                .isInstanceOfSatisfying(Verdict.Authentic.class, a -> {
                    assertThat(a.deliveryId()).isEqualTo(ID);
                    assertThat(a.eventType()).isEqualTo("webhook");
                });
    }

    @Test
    void shouldAcceptTheValidOneAmongSeveralSignatures() {
        String several = String.join(" ", DECOY, "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", SIGNATURE, DECOY);
        assertThat(scheme(T, SECRET).verify(of(headers(ID, T, several)), BODY)).isInstanceOf(Verdict.Authentic.class);
        assertThat(scheme(T, SECRET).verify(of(headers(ID, T, "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")), BODY))
                .as("only v1 counts").isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void shouldRefuseOutsideFiveMinutes() {
        assertThat(scheme(T + 301, SECRET).verify(of(headers(ID, T, SIGNATURE)), BODY))
                .isInstanceOfSatisfying(Verdict.Refused.class, r -> assertThat(r.reason()).contains("stale"));
        assertThat(scheme(T - 301, SECRET).verify(of(headers(ID, T, SIGNATURE)), BODY))
                .isInstanceOfSatisfying(Verdict.Refused.class, r -> assertThat(r.reason()).contains("future"));
    }

    @Test
    void shouldRefuseTamperedBodyOtherIdAndMissingHeaders() {
        assertThat(scheme(T, SECRET).verify(of(headers(ID, T, SIGNATURE)), utf8("{\"test\": 2432232315}")))
                .isInstanceOf(Verdict.Refused.class);
        assertThat(scheme(T, SECRET).verify(of(headers("msg_other", T, SIGNATURE)), BODY)).isInstanceOf(Verdict.Refused.class);
        assertThat(scheme(T, SECRET).verify(of(Map.of("webhook-id", ID, "webhook-timestamp", String.valueOf(T))), BODY))
                .isInstanceOf(Verdict.Refused.class);
        assertThat(scheme(T, SECRET).verify(of(headers(ID, T, SIGNATURE)), new byte[]{'{', (byte) 0xC3, '}'}))
                .isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void shouldVerifyWithEitherSecretDuringRotation() {
        String next = "whsec_ZGV2LXN0YW5kYXJkLXdlYmhvb2tzLXNlY3JldA==";
        assertThat(scheme(T, next, SECRET).verify(of(headers(ID, T, SIGNATURE)), BODY)).isInstanceOf(Verdict.Authentic.class);
        assertThat(scheme(T, next).verify(of(headers(ID, T, SIGNATURE)), BODY)).isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void shouldTakeTheEventTypeFromTheSpecsPayloadShape() throws Exception {
        byte[] body = utf8("{\"type\":\"invoice.paid\",\"timestamp\":\"2022-11-03T20:26:10.344522Z\",\"data\":{}}");
        String signature = StandardWebhooksScheme.signer(SECRET).sign(ID, T, new String(body, java.nio.charset.StandardCharsets.UTF_8));

        assertThat(scheme(T, SECRET).verify(of(headers(ID, T, signature)), body))
                .isInstanceOfSatisfying(Verdict.Authentic.class, a -> assertThat(a.eventType()).isEqualTo("invoice.paid"));
    }
}
