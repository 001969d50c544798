package io.jobpipe.ingest.signature;

import io.jobpipe.core.event.Json;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.jobpipe.ingest.signature.TestHeaders.of;
import static io.jobpipe.ingest.signature.TestHeaders.utf8;
import static org.assertj.core.api.Assertions.assertThat;

class GitHubSchemeTest {
    // docs.github.com, "Validating webhook deliveries", "Testing the webhook payload validation".
    private static final String DOC_SECRET = "It's a Secret to Everybody";
    private static final byte[] DOC_PAYLOAD = utf8("Hello, World!");
    private static final String DOC_SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    private final GitHubScheme scheme = new GitHubScheme(Secrets.utf8(List.of(DOC_SECRET)));

    @Test
    void shouldVerifyGithubsDocumentedExampleAndTakeEventAndDeliveryFromItsHeaders() {
        Verdict verdict = scheme.verify(of(Map.of("X-Hub-Signature-256", DOC_SIGNATURE, "X-GitHub-Event", "push",
                "X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958")), DOC_PAYLOAD);

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Authentic.class, a -> {
            assertThat(a.eventType()).isEqualTo("push");
            assertThat(a.deliveryId()).isEqualTo("72d3162e-cc78-11e3-81ab-4c9367dc0958");
            assertThat(a.document()).isEqualTo(DOC_PAYLOAD);
            assertThat(a.reply()).isNull();
        });
    }

    @Test
    void shouldAcceptUpperCaseHex() {
        assertThat(scheme.verify(of(Map.of("X-Hub-Signature-256", "sha256=" + DOC_SIGNATURE.substring(7).toUpperCase(),
                "X-GitHub-Event", "push")), DOC_PAYLOAD)).isInstanceOf(Verdict.Authentic.class);
    }

    @Test
    void shouldRefuseATamperedBody() {
        assertThat(scheme.verify(of(Map.of("X-Hub-Signature-256", DOC_SIGNATURE)), utf8("Hello, World?")))
                .isEqualTo(new Verdict.Refused("The X-Hub-Signature-256 signature does not match the body."));
    }

    @Test
    void shouldRefuseAMissingOrMalformedSignature() {
        assertThat(scheme.verify(of(Map.of("X-GitHub-Event", "push")), DOC_PAYLOAD))
                .isEqualTo(new Verdict.Refused("The X-Hub-Signature-256 header is missing."));
        assertThat(scheme.verify(of(Map.of("X-Hub-Signature-256", "sha1=" + DOC_SIGNATURE.substring(7))), DOC_PAYLOAD))
                .isInstanceOf(Verdict.Refused.class);
        assertThat(scheme.verify(of(Map.of("X-Hub-Signature-256", "sha256=zz")), DOC_PAYLOAD))
                .isInstanceOf(Verdict.Refused.class);
        assertThat(scheme.verify(of(Map.of("X-Hub-Signature-256", DOC_SIGNATURE.substring(0, 70))), DOC_PAYLOAD))
                .isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void shouldVerifyWithEitherSecretDuringRotation() {
        GitHubScheme rotating = new GitHubScheme(Secrets.utf8(List.of("the-new-secret", DOC_SECRET)));
        GitHubScheme rotated = new GitHubScheme(Secrets.utf8(List.of("the-new-secret")));

        assertThat(rotating.verify(of(Map.of("X-Hub-Signature-256", DOC_SIGNATURE)), DOC_PAYLOAD))
                .isInstanceOf(Verdict.Authentic.class);
        assertThat(rotated.verify(of(Map.of("X-Hub-Signature-256", DOC_SIGNATURE)), DOC_PAYLOAD))
                .isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void shouldAnswerPingWithoutStartingAJob() {
        Verdict verdict = scheme.verify(of(Map.of("X-Hub-Signature-256", DOC_SIGNATURE, "X-GitHub-Event", "ping")),
                DOC_PAYLOAD);

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Answer.class, a -> assertThat(a.status()).isEqualTo(200));
    }

    @Test
    void shouldTakeTheJsonOfAFormEncodedDeliveryFromItsPayloadField() throws Exception {
        String json = "{\"ref\":\"refs/heads/main\",\"note\":\"a=b&c\"}";
        byte[] form = utf8("payload=" + URLEncoder.encode(json, StandardCharsets.UTF_8));
        GitHubScheme dev = new GitHubScheme(Secrets.utf8(List.of("dev-github-secret")));
        String signature = "sha256=" + java.util.HexFormat.of().formatHex(Hmac.sha256(utf8("dev-github-secret"), form));

        Verdict verdict = dev.verify(of(Map.of("X-Hub-Signature-256", signature, "X-GitHub-Event", "push",
                "Content-Type", "application/x-www-form-urlencoded")), form);

        assertThat(verdict).isInstanceOf(Verdict.Authentic.class);
        assertThat(Json.MAPPER.readTree(((Verdict.Authentic) verdict).document()).get("note").asText()).isEqualTo("a=b&c");
    }
}
