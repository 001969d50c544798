package io.jobpipe.runtime.client;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CLI's signer reproduces each sender's published example, so what it sends is what real senders send. */
class WebhookSigningTest {

    @Test
    void shouldReproduceGithubsDocumentedExample() {
        // docs.github.com, "Validating webhook deliveries".
        assertThat(WebhookSigning.of("github", "It's a Secret to Everybody")
                .headers(utf8("Hello, World!"), "d-1", "push", 0))
                .containsEntry("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")
                .containsEntry("X-GitHub-Event", "push")
                .containsEntry("X-GitHub-Delivery", "d-1");
    }

    @Test
    void shouldReproduceSlacksDocumentedExample() {
        // api.slack.com/authentication/verifying-requests-from-slack.
        byte[] body = utf8("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
                + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
                + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");

        assertThat(WebhookSigning.of("slack", "8f742231b10e8888abcd99yyyzzz85a5").headers(body, null, null, 1531420618))
                .containsEntry("X-Slack-Request-Timestamp", "1531420618")
                .containsEntry("X-Slack-Signature", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
    }

    @Test
    void shouldReproduceTheStandardWebhooksExample() {
        // standard-webhooks/standard-webhooks, libraries/java WebhookTest.verifyWebhookSignWorks.
        assertThat(WebhookSigning.of("standard-webhooks", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                .headers(utf8("{\"test\": 2432232314}"), "msg_p5jXN8AQM9LWM0D4loKWxJek", null, 1614265330))
                .containsEntry("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
                .containsEntry("webhook-timestamp", "1614265330")
                .containsEntry("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void shouldSignStripeAndHmacAsOpensslDoes() {
        // printf '%s' '1700000000.{"id":"evt_test_webhook","object":"event","type":"invoice.paid"}' | openssl dgst -sha256 -hmac whsec_test_secret
        assertThat(WebhookSigning.of("stripe", "whsec_test_secret")
                .headers(utf8("{\"id\":\"evt_test_webhook\",\"object\":\"event\",\"type\":\"invoice.paid\"}"), null, null, 1_700_000_000L))
                .containsEntry("Stripe-Signature", "t=1700000000,v1=92a67d03f3996371aee723f680b97033696bcd5bb8a1826c465e55a4d569d2c1");
        // printf '%s' '{"order":42}' | openssl dgst -sha256 -hmac dev-hmac-secret [-binary | base64]
        assertThat(WebhookSigning.of("hmac", "dev-hmac-secret").headers(utf8("{\"order\":42}"), "order-42", null, 0))
                .containsEntry("X-Signature", "bf5605048db07205daa9b97d2087387b7787ee510a8d4d95f0bb54a0dc1805ce")
                .containsEntry("Idempotency-Key", "order-42");
        assertThat(new WebhookSigning("hmac", "dev-hmac-secret", "X-Sig", "base64", "sha256=")
                .headers(utf8("{\"order\":42}"), null, null, 0))
                .containsEntry("X-Sig", "sha256=v1YFBI2wcgXaqbl9IIc4e3eH7lEKjU2V8LtUoNwYBc4=");
    }

    @Test
    void shouldRefuseASignedSchemeWithoutASecretAndNeverPrintOne() {
        assertThatThrownBy(() -> WebhookSigning.of("github", null)).hasMessageContaining("--secret");
        assertThat(WebhookSigning.of("github", "hunter2").toString()).doesNotContain("hunter2");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
