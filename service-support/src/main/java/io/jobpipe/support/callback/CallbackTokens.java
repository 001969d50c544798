package io.jobpipe.support.callback;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Mints and verifies the tokens of callback URLs ({@code <public base>/callbacks/<token>}), so ingest can take an
 * asynchronous agent's result without keeping any state: the token says which job, stage and attempt it is for,
 * and a shared secret proves the worker issued it.
 *
 * <p>Format (version 1): {@code base64url(payload) "." base64url(HMAC-SHA256(secret, DOMAIN || payload))}, no padding,
 * where payload = version (1 byte), issued-at and expires-at (epoch seconds, 8 bytes each), attempt (4 bytes), a
 * random nonce (16 bytes), then job id and stage, each a 2-byte length and UTF-8. The payload is readable by whoever
 * holds the URL (the job id is in the agent's call anyway); only the MAC is secret, and it cannot be made without the
 * secret. The nonce makes every token unique, also two for the same attempt.
 *
 * <p>Verification compares MACs in constant time ({@link MessageDigest#isEqual}), checks the MAC before reading a
 * field, and tries the current secret, then the previous ones (rotation: tokens issued before a change stay good
 * while the old secret is listed). Pure: no framework, unit-tested alone.
 */
public final class CallbackTokens {
    /** Shorter secrets are refused: a token is only as unguessable as the secret. */
    public static final int MIN_SECRET_BYTES = 32;
    /** Longer tokens are refused before any decoding; real ones are about 150 characters. */
    static final int MAX_TOKEN_CHARS = 1024;
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 16;
    private static final int MAX_FIELD_BYTES = 255;
    private static final String HMAC = "HmacSHA256";
    /** Keeps a MAC made with the same secret for another purpose from ever passing as a callback token. */
    private static final byte[] DOMAIN = "jobpipe-callback-token\0".getBytes(StandardCharsets.US_ASCII);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final List<SecretKeySpec> keys;
    private final SecureRandom random;
    /** A Mac is not thread-safe and costs a provider lookup to create: one per thread and key, reused. */
    private final List<ThreadLocal<Mac>> macs = new ArrayList<>();

    /**
     * @param secret   signs new tokens and verifies them; at least {@link #MIN_SECRET_BYTES} bytes
     * @param previous older secrets whose tokens are still taken (rotation); may be empty
     */
    public CallbackTokens(byte[] secret, List<byte[]> previous) {
        this(secret, previous, new SecureRandom());
    }

    CallbackTokens(byte[] secret, List<byte[]> previous, SecureRandom random) {
        Objects.requireNonNull(secret, "secret");
        List<SecretKeySpec> all = new ArrayList<>();
        all.add(key(secret, "the callback secret"));
        for (byte[] old : previous) {
            all.add(key(old, "a previous callback secret"));
        }
        this.keys = List.copyOf(all);
        this.random = random;
        for (SecretKeySpec key : keys) {
            macs.add(ThreadLocal.withInitial(() -> newMac(key)));
        }
    }

    /** The token for {@code token}'s attempt, signed with the current secret. */
    public String mint(CallbackToken token) {
        byte[] jobId = field(token.jobId(), "job id");
        byte[] stage = field(token.stage(), "stage");
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        ByteBuffer payload = ByteBuffer.allocate(1 + 8 + 8 + 4 + NONCE_BYTES + 2 + jobId.length + 2 + stage.length)
                .put(VERSION)
                .putLong(token.issuedAt().getEpochSecond())
                .putLong(token.expiresAt().getEpochSecond())
                .putInt(token.attempt())
                .put(nonce)
                .putShort((short) jobId.length).put(jobId)
                .putShort((short) stage.length).put(stage);
        byte[] bytes = payload.array();
        return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(mac(0, bytes));
    }

    /** Whether {@code text} is a token this deployment issued and, at {@code now}, still good. Never throws. */
    public CallbackVerification verify(String text, Instant now) {
        if (text == null || text.isEmpty() || text.length() > MAX_TOKEN_CHARS) {
            return new CallbackVerification.Invalid("empty or longer than " + MAX_TOKEN_CHARS + " characters");
        }
        int dot = text.indexOf('.');
        if (dot <= 0 || dot != text.lastIndexOf('.')) {
            return new CallbackVerification.Invalid("not <payload>.<mac>");
        }
        byte[] payload;
        byte[] mac;
        try {
            payload = DECODER.decode(text.substring(0, dot));
            mac = DECODER.decode(text.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return new CallbackVerification.Invalid("not base64url");
        }
        if (!signedByAnyKey(payload, mac)) {
            return new CallbackVerification.Invalid("signature does not match any callback secret");
        }
        CallbackToken token;
        try {
            token = read(payload);
        } catch (RuntimeException e) {
            // Signed by us yet unreadable: a token of a newer format, or a bug; either way not one to take.
            return new CallbackVerification.Invalid("unreadable payload: " + e.getMessage());
        }
        return now.isBefore(token.expiresAt())
                ? new CallbackVerification.Valid(token)
                : new CallbackVerification.Expired(token);
    }

    private boolean signedByAnyKey(byte[] payload, byte[] mac) {
        boolean matched = false;
        for (int i = 0; i < keys.size(); i++) {
            // Every key is tried, matched or not: the time taken says nothing about which one matched.
            matched |= MessageDigest.isEqual(mac(i, payload), mac);
        }
        return matched;
    }

    private static CallbackToken read(byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        try {
            byte version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("version " + version);
            }
            Instant issuedAt = Instant.ofEpochSecond(in.getLong());
            Instant expiresAt = Instant.ofEpochSecond(in.getLong());
            int attempt = in.getInt();
            in.position(in.position() + NONCE_BYTES);
            String jobId = readField(in);
            String stage = readField(in);
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("trailing bytes");
            }
            return new CallbackToken(jobId, stage, attempt, issuedAt, expiresAt);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated", e);
        }
    }

    private static String readField(ByteBuffer in) {
        byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] field(String value, String what) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_FIELD_BYTES) {
            throw new IllegalArgumentException("a callback token's " + what + " must be 1 to " + MAX_FIELD_BYTES
                    + " bytes, got " + bytes.length);
        }
        return bytes;
    }

    private byte[] mac(int keyIndex, byte[] payload) {
        Mac mac = macs.get(keyIndex).get();
        mac.update(DOMAIN);
        return mac.doFinal(payload);
    }

    private static SecretKeySpec key(byte[] secret, String what) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(what + " must be at least " + MIN_SECRET_BYTES + " bytes, got "
                    + secret.length);
        }
        return new SecretKeySpec(Arrays.copyOf(secret, secret.length), HMAC);
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable: " + e.getMessage(), e);
        }
    }
}
