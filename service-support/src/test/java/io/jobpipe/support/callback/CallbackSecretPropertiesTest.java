package io.jobpipe.support.callback;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallbackSecretPropertiesTest {
    private static final String SECRET = "callback-secret-0123456789abcdef-0123456789";

    @Test
    void shouldNameTheSettingAndWhyItIsNeededWhenTheSecretIsMissing() {
        assertThatThrownBy(() -> new CallbackSecretProperties(null, null).tokens("a public base URL is set"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("JOBPIPE_CALLBACK_SECRET")
                .hasMessageContaining("a public base URL is set");
        assertThatThrownBy(() -> new CallbackSecretProperties(" ", null).tokens("x"))
                .hasMessageContaining("jobpipe.callbacks.secret");
    }

    @Test
    void shouldRefuseAShortSecretOrAShortPreviousOne() {
        assertThatThrownBy(() -> new CallbackSecretProperties("too-short", null).tokens("x"))
                .hasMessageContaining("JOBPIPE_CALLBACK_SECRET").hasMessageContaining("at least 32");
        assertThatThrownBy(() -> new CallbackSecretProperties(SECRET, "too-short").tokens("x"))
                .hasMessageContaining("JOBPIPE_CALLBACK_PREVIOUS_SECRET");
    }

    @Test
    void shouldVerifyWithThePreviousSecret() {
        String old = "the-old-callback-secret-0123456789abcdef";
        CallbackToken attempt = new CallbackToken("job_x", "parse", 1, Instant.EPOCH, Instant.EPOCH.plusSeconds(60));
        String token = new CallbackSecretProperties(old, null).tokens("x").mint(attempt);

        assertThat(new CallbackSecretProperties(SECRET, old).tokens("x").verify(token, Instant.EPOCH))
                .isInstanceOf(CallbackVerification.Valid.class);
    }

    @Test
    void shouldNeverShowTheSecretInToString() {
        assertThat(new CallbackSecretProperties(SECRET, SECRET).toString()).doesNotContain(SECRET);
    }
}
