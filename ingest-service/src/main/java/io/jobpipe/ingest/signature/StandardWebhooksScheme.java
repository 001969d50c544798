package io.jobpipe.ingest.signature;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import io.jobpipe.ingest.request.HeaderLookup;
import io.jobpipe.ingest.request.SenderHeaders;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Scheme {@code standard-webhooks} (standardwebhooks.com): {@code webhook-id}, {@code webhook-timestamp} and
 * {@code webhook-signature: v1,<base64> [v1,<base64> …]} over {@code id.timestamp.body}, within 5 minutes.
 * The signature is computed by the spec's reference Java library ({@link Webhook#sign}); this class parses the
 * headers, checks the window against an injectable clock (the library's own {@code verify} reads the system clock,
 * so the spec's fixed-time example could not be checked with it) and compares each {@code v1} in constant time, as
 * the library does. A secret {@code whsec_<base64>} is decoded as the spec says; any other secret is its UTF-8 bytes.
 * The library signs text, so a body that is not UTF-8 cannot carry a valid signature and is refused.
 */
public final class StandardWebhooksScheme implements SignatureScheme {
    public static final String ID = "standard-webhooks";
    public static final String MESSAGE_ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";

    private final List<Webhook> signers;
    private final Duration tolerance;
    private final Clock clock;

    public StandardWebhooksScheme(List<String> secrets, Duration tolerance, Clock clock) {
        if (secrets == null || secrets.isEmpty()) {
            throw new IllegalArgumentException("needs at least one non-empty secret");
        }
        this.signers = secrets.stream().map(StandardWebhooksScheme::signer).toList();
        this.tolerance = tolerance;
        this.clock = clock;
    }

    static Webhook signer(String secret) {
        try {
            return secret.startsWith(Webhook.SECRET_PREFIX)
                    ? new Webhook(secret)
                    : new Webhook(secret.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a whsec_ secret is not valid base64");
        } catch (Exception e) {
            throw new IllegalArgumentException("needs at least one non-empty secret");
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Verdict verify(HeaderLookup headers, byte[] body) {
        String id = headers.get(MESSAGE_ID);
        String timestamp = headers.get(TIMESTAMP);
        String signature = headers.get(SIGNATURE);
        if (id == null || id.isBlank() || timestamp == null || signature == null || signature.isBlank()) {
            return new Verdict.Refused("The webhook-id, webhook-timestamp and webhook-signature headers are all required.");
        }
        String stale = Timestamps.staleness(timestamp, clock, tolerance);
        if (stale != null) {
            return new Verdict.Refused("The " + TIMESTAMP + " header is " + stale + ".");
        }
        String text = strictUtf8(body);
        if (text == null) {
            return new Verdict.Refused("The body is not UTF-8, so its Standard Webhooks signature cannot match.");
        }
        long seconds = Long.parseLong(timestamp.strip());
        boolean match = false;
        for (Webhook signer : signers) {
            byte[] expected = expected(signer, id.strip(), seconds, text);
            for (String candidate : signature.strip().split(" ")) {
                int comma = candidate.indexOf(',');
                if (comma > 0 && candidate.substring(0, comma).equals("v1")) {
                    match |= MessageDigest.isEqual(expected, Hmac.utf8(candidate.substring(comma + 1)));
                }
            }
        }
        if (!match) {
            return new Verdict.Refused("No v1 signature of the " + SIGNATURE + " header matches the body.");
        }
        String type = JsonFields.text(JsonFields.readOrNull(body), "/type");
        return new Verdict.Authentic(id.strip(), type == null ? SenderHeaders.DEFAULT_EVENT_TYPE : type, body, null);
    }

    /** The base64 part of the library's {@code v1,<base64>}. */
    private static byte[] expected(Webhook signer, String id, long seconds, String text) {
        try {
            String signed = signer.sign(id, seconds, text);
            return Hmac.utf8(signed.substring(signed.indexOf(',') + 1));
        } catch (WebhookSigningException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static String strictUtf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
