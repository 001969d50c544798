package io.jobpipe.worker.agent.builtin;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;
import io.jobpipe.agent.AgentException;

import java.nio.charset.StandardCharsets;

/**
 * Standard Webhooks signatures, {@code v1,base64(HMAC-SHA256(secret, id.timestamp.body))}, made by the
 * spec's reference Java library. A {@code whsec_<base64>} secret is the spec's own format and is decoded;
 * any other secret is used as its UTF-8 bytes, as people write shared secrets by hand.
 */
public final class WebhookSigner {
    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";

    private WebhookSigner() {
    }

    public static String sign(String secret, String messageId, long timestampSeconds, byte[] body) {
        try {
            Webhook webhook = secret.startsWith(Webhook.SECRET_PREFIX)
                    ? new Webhook(secret)
                    : new Webhook(secret.getBytes(StandardCharsets.UTF_8));
            return webhook.sign(messageId, timestampSeconds, new String(body, StandardCharsets.UTF_8));
        } catch (EmptyWebhookSecretException e) {
            throw AgentException.permanent("InvalidSubscriber", "a subscriber's secret is empty");
        } catch (IllegalArgumentException e) {
            throw AgentException.permanent("InvalidSubscriber", "a subscriber's whsec_ secret is not valid base64");
        } catch (WebhookSigningException e) {
            throw new AgentException("WebhookSigningFailed", "cannot sign webhook: " + e.getMessage(), true, e);
        }
    }
}
