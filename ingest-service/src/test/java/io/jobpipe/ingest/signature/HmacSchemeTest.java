package io.jobpipe.ingest.signature;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.jobpipe.ingest.signature.TestHeaders.of;
import static io.jobpipe.ingest.signature.TestHeaders.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generic scheme has no published vector; these MACs of {@code {"order":42}} under {@code dev-hmac-secret} were
 * computed independently: {@code printf '%s' '{"order":42}' | openssl dgst -sha256 -hmac dev-hmac-secret [-binary | base64]}.
 */
class HmacSchemeTest {
    private static final byte[] BODY = utf8("{\"order\":42}");
    private static final String HEX = "bf5605048db07205daa9b97d2087387b7787ee510a8d4d95f0bb54a0dc1805ce";
    private static final String BASE64 = "v1YFBI2wcgXaqbl9IIc4e3eH7lEKjU2V8LtUoNwYBc4=";

    private static HmacScheme scheme(HmacScheme.Encoding encoding, String prefix, String... secrets) {
        return new HmacScheme(Secrets.utf8(List.of(secrets)), "X-Signature", encoding, prefix);
    }

    @Test
    void shouldVerifyHexAndTakeTheIdempotencyKeyAsDeliveryId() {
        assertThat(scheme(HmacScheme.Encoding.HEX, "", "dev-hmac-secret").verify(of(Map.of("x-signature", HEX,
                "Idempotency-Key", "order-42", "X-Event-Type", "order.created")), BODY))
                .isEqualTo(new Verdict.Authentic("order-42", "order.created", BODY, null));
    }

    @Test
    void shouldVerifyBase64() {
        assertThat(scheme(HmacScheme.Encoding.BASE64, "", "dev-hmac-secret").verify(of(Map.of("X-Signature", BASE64)), BODY))
                .isInstanceOf(Verdict.Authentic.class);
        assertThat(scheme(HmacScheme.Encoding.BASE64, "", "dev-hmac-secret").verify(of(Map.of("X-Signature", HEX)), BODY))
                .isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void shouldRequireTheConfiguredPrefix() {
        HmacScheme prefixed = scheme(HmacScheme.Encoding.HEX, "sha256=", "dev-hmac-secret");

        assertThat(prefixed.verify(of(Map.of("X-Signature", "sha256=" + HEX)), BODY)).isInstanceOf(Verdict.Authentic.class);
        assertThat(prefixed.verify(of(Map.of("X-Signature", HEX)), BODY))
                .isEqualTo(new Verdict.Refused("The X-Signature header does not start with 'sha256='."));
    }

    @Test
    void shouldRefuseTamperedAndMissing() {
        HmacScheme hmac = scheme(HmacScheme.Encoding.HEX, "", "dev-hmac-secret");

        assertThat(hmac.verify(of(Map.of("X-Signature", HEX)), utf8("{\"order\":43}"))).isInstanceOf(Verdict.Refused.class);
        assertThat(hmac.verify(of(Map.of()), BODY)).isEqualTo(new Verdict.Refused("The X-Signature header is missing."));
        assertThat(hmac.verify(of(Map.of("X-Signature", "not hex")), BODY)).isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void shouldVerifyWithEitherSecretDuringRotation() {
        assertThat(scheme(HmacScheme.Encoding.HEX, "", "new-secret", "dev-hmac-secret").verify(of(Map.of("X-Signature", HEX)), BODY))
                .isInstanceOf(Verdict.Authentic.class);
    }
}
