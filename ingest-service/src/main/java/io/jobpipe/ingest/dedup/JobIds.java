package io.jobpipe.ingest.dedup;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The job id of a delivery: {@code job_} + the first 128 bits of HMAC-SHA256(key, connection, delivery id), URL-safe
 * base64 without padding, so it has the shape of {@code EventIds.newJobId()} (22 characters after the prefix). Every
 * replica holding the same key derives the same id for the same delivery; without the key an id cannot be guessed
 * from a delivery id, which senders often put in logs and URLs. Pure: no framework, unit-tested.
 */
public final class JobIds {
    /** Shorter keys are refused: the id is only as unguessable as the key. */
    public static final int MIN_KEY_BYTES = 32;
    private static final String HMAC = "HmacSHA256";
    private static final int ID_BYTES = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    /** A Mac is not thread-safe and costs a provider lookup to create: one per thread, reused. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public JobIds(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the job id key must be at least " + MIN_KEY_BYTES + " bytes, got "
                    + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), HMAC);
        newMac();
    }

    /** The job id of {@code deliveryId} on {@code connection}; the same inputs give the same id. */
    public String forDelivery(String connection, String deliveryId) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(deliveryId, "deliveryId");
        byte[] connectionBytes = connection.getBytes(StandardCharsets.UTF_8);
        byte[] deliveryBytes = deliveryId.getBytes(StandardCharsets.UTF_8);
        // Length-prefixed, so ("ab", "c") and ("a", "bc") never share an id.
        ByteBuffer message = ByteBuffer.allocate(8 + connectionBytes.length + deliveryBytes.length)
                .putInt(connectionBytes.length).put(connectionBytes)
                .putInt(deliveryBytes.length).put(deliveryBytes);
        byte[] digest = macs.get().doFinal(message.array());
        return "job_" + ENCODER.encodeToString(Arrays.copyOf(digest, ID_BYTES));
    }

    /** The delivery id of a body when a connection deduplicates by body: {@code sha256:<hex>}. */
    public static String bodyHash(byte[] body) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable: " + e.getMessage(), e);
        }
    }
}
