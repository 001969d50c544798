package io.jobpipe.runtime.client;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How {@code ./jobpipe send} signs for a connection's scheme, the way each real sender does (ingest verifies; this
 * side only signs, written independently of ingest's verifiers so each checks the other).
 *
 * @param scheme   {@code github}, {@code slack}, {@code stripe}, {@code standard-webhooks}, {@code hmac} or {@code none}
 * @param secret   the connection's secret (ignored for {@code none})
 * @param header   scheme {@code hmac}: the signature header
 * @param encoding scheme {@code hmac}: {@code hex} or {@code base64}
 * @param prefix   scheme {@code hmac}: text before the signature
 */
public record WebhookSigning(String scheme, String secret, String header, String encoding, String prefix) {
    public static final WebhookSigning UNSIGNED = new WebhookSigning("none", null, null, null, null);
    public static final String HMAC_HEADER = "X-Signature";

    public WebhookSigning {
        Objects.requireNonNull(scheme, "scheme");
        header = header == null || header.isBlank() ? HMAC_HEADER : header;
        encoding = encoding == null || encoding.isBlank() ? "hex" : encoding.toLowerCase(Locale.ROOT);
        prefix = prefix == null ? "" : prefix;
        if (!scheme.equals("none") && (secret == null || secret.isEmpty())) {
            throw new IllegalArgumentException("scheme " + scheme + " needs a secret (--secret)");
        }
    }

    public static WebhookSigning of(String scheme, String secret) {
        return new WebhookSigning(scheme, secret, null, null, null);
    }

    public boolean signed() {
        return !scheme.equals("none");
    }

    /** The headers that authenticate {@code body}, sent at {@code nowSeconds} (Unix time) as delivery {@code deliveryId}. */
    public Map<String, String> headers(byte[] body, String deliveryId, String eventType, long nowSeconds) {
        Map<String, String> headers = new LinkedHashMap<>();
        byte[] key = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
        switch (scheme) {
            case "none" -> {
                if (deliveryId != null) {
                    headers.put("Idempotency-Key", deliveryId);
                }
            }
            case "github" -> {
                headers.put("X-Hub-Signature-256", "sha256=" + hex(hmac(key, body)));
                if (eventType != null) {
                    headers.put("X-GitHub-Event", eventType);
                }
                if (deliveryId != null) {
                    headers.put("X-GitHub-Delivery", deliveryId);
                }
            }
            case "slack" -> {
                headers.put("X-Slack-Request-Timestamp", String.valueOf(nowSeconds));
                headers.put("X-Slack-Signature", "v0=" + hex(hmac(key, utf8("v0:" + nowSeconds + ":"), body)));
            }
            case "stripe" -> headers.put("Stripe-Signature",
                    "t=" + nowSeconds + ",v1=" + hex(hmac(key, utf8(nowSeconds + "."), body)));
            case "standard-webhooks" -> {
                String id = deliveryId == null ? "msg_" + nowSeconds : deliveryId;
                byte[] swKey = secret.startsWith("whsec_") ? Base64.getDecoder().decode(secret.substring(6)) : key;
                headers.put("webhook-id", id);
                headers.put("webhook-timestamp", String.valueOf(nowSeconds));
                headers.put("webhook-signature",
                        "v1," + Base64.getEncoder().encodeToString(hmac(swKey, utf8(id + "." + nowSeconds + "."), body)));
            }
            case "hmac" -> {
                byte[] mac = hmac(key, body);
                headers.put(header, prefix + (encoding.equals("base64") ? Base64.getEncoder().encodeToString(mac) : hex(mac)));
                if (deliveryId != null) {
                    headers.put("Idempotency-Key", deliveryId);
                }
            }
            default -> throw new IllegalArgumentException("unknown scheme '" + scheme
                    + "'; known: github, slack, stripe, standard-webhooks, hmac, none");
        }
        return headers;
    }

    static byte[] hmac(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Secrets stay out of logs and error messages. */
    @Override
    public String toString() {
        return "WebhookSigning[" + scheme + "]";
    }
}
