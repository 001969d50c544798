package io.jobpipe.worker.agent.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;
import io.jobpipe.agent.AgentException;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Standard Webhooks signatures, {@code v1,base64(HMAC-SHA256(secret, id.timestamp.body))}, made by the
 * spec's reference Java library. A {@code whsec_<base64>} secret is the spec's own format and is decoded;
 * any other secret is used as its UTF-8 bytes, as people write shared secrets by hand.
 */
public final class WebhookSigner {
    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

    private WebhookSigner() {
    }

    /** {@code msg_} + 32 hex digits of SHA-256(jobId:stage): the same on every attempt (a resend), reveals nothing. */
    public static String messageId(String idempotencyKey) {
        return "msg_" + Enricher.sha256(idempotencyKey.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
    }

    /**
     * The signing secret {@code holder} names: its {@code secret}, or else the worker's environment variable its
     * {@code secretEnv} names. Missing both, or naming an unset variable, fails for good: the pipeline file needs
     * fixing, not a retry.
     *
     * @param where     how the message names the holder ({@code subscribers[0] (https://hooks.example.com)})
     * @param errorType the failure's error type
     */
    public static String secretOf(JsonNode holder, String where, UnaryOperator<String> environment, String errorType) {
        String secret = holder.path("secret").asText("");
        String secretEnv = holder.path("secretEnv").asText("");
        if (secret.isEmpty() && !secretEnv.isEmpty()) {
            String fromEnv = environment.apply(secretEnv);
            if (fromEnv == null || fromEnv.isEmpty()) {
                throw AgentException.permanent(errorType, where + ": secretEnv names " + secretEnv
                        + ", which is not set on this worker");
            }
            return fromEnv;
        }
        if (secret.isEmpty()) {
            throw AgentException.permanent(errorType, where + " needs a 'secret' or 'secretEnv' to sign with");
        }
        return secret;
    }

    public static String sign(String secret, String messageId, long timestampSeconds, byte[] body) {
        return sign(secret, messageId, timestampSeconds, body, "InvalidSubscriber");
    }

    /**
     * The headers of a signed JSON request: content type, Standard Webhooks id, timestamp and signature, and
     * {@code Idempotency-Key}; in that order, in a map the caller may add to.
     *
     * @param errorType the error type of a failure for a bad secret
     */
    public static Map<String, String> signedJsonHeaders(String secret, String idempotencyKey, long timestampSeconds,
                                                        byte[] body, String errorType) {
        String messageId = messageId(idempotencyKey);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put(ID_HEADER, messageId);
        headers.put(TIMESTAMP_HEADER, Long.toString(timestampSeconds));
        headers.put(SIGNATURE_HEADER, sign(secret, messageId, timestampSeconds, body, errorType));
        headers.put(IDEMPOTENCY_KEY_HEADER, idempotencyKey);
        return headers;
    }

    /** @param errorType the error type of a failure for a bad secret */
    public static String sign(String secret, String messageId, long timestampSeconds, byte[] body, String errorType) {
        try {
            Webhook webhook = secret.startsWith(Webhook.SECRET_PREFIX)
                    ? new Webhook(secret)
                    : new Webhook(secret.getBytes(StandardCharsets.UTF_8));
            return webhook.sign(messageId, timestampSeconds, new String(body, StandardCharsets.UTF_8));
        } catch (EmptyWebhookSecretException e) {
            throw AgentException.permanent(errorType, "a signing secret is empty");
        } catch (IllegalArgumentException e) {
            throw AgentException.permanent(errorType, "a whsec_ signing secret is not valid base64");
        } catch (WebhookSigningException e) {
            throw new AgentException("WebhookSigningFailed", "cannot sign webhook: " + e.getMessage(), true, e);
        }
    }
}
