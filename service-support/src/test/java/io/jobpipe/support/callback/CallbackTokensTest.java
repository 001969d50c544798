package io.jobpipe.support.callback;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallbackTokensTest {
    private static final byte[] SECRET = "callback-secret-0123456789abcdef-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER = "another-secret-0123456789abcdef-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final Instant ISSUED = Instant.parse("2025-01-01T10:00:00Z");
    private static final Instant EXPIRES = ISSUED.plusSeconds(3600);
    private static final CallbackToken ATTEMPT = new CallbackToken("job_abcdefghijklmnopqrstuv", "parse", 2, ISSUED,
            EXPIRES);

    private final CallbackTokens tokens = new CallbackTokens(SECRET, List.of());

    @Test
    void shouldVerifyATokenItMintedAndGiveBackItsAttempt() {
        String token = tokens.mint(ATTEMPT);

        assertThat(tokens.verify(token, ISSUED.plusSeconds(10))).isEqualTo(new CallbackVerification.Valid(ATTEMPT));
    }

    @Test
    void shouldMintUrlSafeTokensThatDifferEachTimeForTheSameAttempt() {
        String first = tokens.mint(ATTEMPT);
        String second = tokens.mint(ATTEMPT);

        assertThat(first).isNotEqualTo(second).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+").hasSizeLessThan(200);
        assertThat(tokens.verify(second, ISSUED)).isInstanceOf(CallbackVerification.Valid.class);
    }

    @Test
    void shouldCallATokenExpiredFromItsExpiryOnButNeverBefore() {
        String token = tokens.mint(ATTEMPT);

        assertThat(tokens.verify(token, EXPIRES.minusSeconds(1))).isInstanceOf(CallbackVerification.Valid.class);
        assertThat(tokens.verify(token, EXPIRES)).isEqualTo(new CallbackVerification.Expired(ATTEMPT));
        assertThat(tokens.verify(token, EXPIRES.plusSeconds(86_400))).isInstanceOf(CallbackVerification.Expired.class);
    }

    @Test
    void shouldRefuseATokenSignedWithAnotherSecret() {
        String foreign = new CallbackTokens(OTHER, List.of()).mint(ATTEMPT);

        assertThat(tokens.verify(foreign, ISSUED)).isInstanceOf(CallbackVerification.Invalid.class);
    }

    @Test
    void shouldRefuseATokenWhosePayloadWasChangedToAnotherAttempt() {
        String token = tokens.mint(ATTEMPT);
        String otherAttempt = tokens.mint(new CallbackToken(ATTEMPT.jobId(), ATTEMPT.stage(), 3, ISSUED, EXPIRES));
        // The payload of attempt 3 under the MAC of attempt 2: what a caller who edits the attempt number would send.
        String spliced = otherAttempt.substring(0, otherAttempt.indexOf('.')) + token.substring(token.indexOf('.'));

        assertThat(tokens.verify(spliced, ISSUED)).isInstanceOf(CallbackVerification.Invalid.class);
    }

    @Test
    void shouldRefuseATokenWithAnyOneByteFlippedInItsPayloadOrMac() {
        String token = tokens.mint(ATTEMPT);
        int dot = token.indexOf('.');
        byte[] payload = Base64.getUrlDecoder().decode(token.substring(0, dot));
        byte[] mac = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        for (int i = 0; i < payload.length; i++) {
            byte[] tampered = payload.clone();
            tampered[i] ^= 0x01;
            assertThat(tokens.verify(encode(tampered) + "." + encode(mac), ISSUED)).as("payload byte " + i)
                    .isInstanceOf(CallbackVerification.Invalid.class);
        }
        for (int i = 0; i < mac.length; i++) {
            byte[] tampered = mac.clone();
            tampered[i] ^= 0x01;
            assertThat(tokens.verify(encode(payload) + "." + encode(tampered), ISSUED)).as("mac byte " + i)
                    .isInstanceOf(CallbackVerification.Invalid.class);
        }
    }

    @Test
    void shouldCallAnExpiredTokenWithABadSignatureInvalidNotExpired() {
        String foreign = new CallbackTokens(OTHER, List.of()).mint(ATTEMPT);

        assertThat(tokens.verify(foreign, EXPIRES.plusSeconds(1))).isInstanceOf(CallbackVerification.Invalid.class);
    }

    @Test
    void shouldRefuseGarbageWithoutThrowing() {
        String longToken = "a".repeat(CallbackTokens.MAX_TOKEN_CHARS + 1);
        for (String garbage : List.of("", ".", "abc", "abc.", ".abc", "a.b.c", "!!!.???", "%2e%2e", longToken,
                encode(new byte[3]) + "." + encode(new byte[32]))) {
            assertThat(tokens.verify(garbage, ISSUED)).as(garbage).isInstanceOf(CallbackVerification.Invalid.class);
        }
        assertThat(tokens.verify(null, ISSUED)).isInstanceOf(CallbackVerification.Invalid.class);
    }

    @Test
    void shouldTakeTokensOfThePreviousSecretAfterARotationAndMintWithTheNewOne() {
        String beforeRotation = new CallbackTokens(OTHER, List.of()).mint(ATTEMPT);
        CallbackTokens rotated = new CallbackTokens(SECRET, List.of(OTHER));

        assertThat(rotated.verify(beforeRotation, ISSUED)).isInstanceOf(CallbackVerification.Valid.class);
        assertThat(tokens.verify(rotated.mint(ATTEMPT), ISSUED)).as("minted with the current secret")
                .isInstanceOf(CallbackVerification.Valid.class);
    }

    @Test
    void shouldRefuseSecretsShorterThan32Bytes() {
        assertThatThrownBy(() -> new CallbackTokens("short".getBytes(StandardCharsets.UTF_8), List.of()))
                .hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> new CallbackTokens(SECRET, List.of(new byte[31])))
                .hasMessageContaining("previous callback secret");
    }

    @Test
    void shouldCarryNonAsciiJobIdsAndStages() {
        CallbackToken odd = new CallbackToken("job_ü", "stage-ß", 1, ISSUED, EXPIRES);

        assertThat(tokens.verify(tokens.mint(odd), ISSUED)).isEqualTo(new CallbackVerification.Valid(odd));
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
