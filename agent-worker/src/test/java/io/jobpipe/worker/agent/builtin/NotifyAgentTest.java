package io.jobpipe.worker.agent.builtin;

import io.jobpipe.worker.agent.StageCall;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.standardwebhooks.Webhook;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.worker.agent.AgentRegistry;
import io.jobpipe.worker.agent.AgentRunner;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.jobpipe.worker.agent.TestRequests.JOB_ID;
import static io.jobpipe.worker.agent.TestRequests.json;
import static io.jobpipe.worker.agent.TestRequests.payload;
import static io.jobpipe.worker.agent.TestRequests.request;
import static io.jobpipe.worker.agent.TestRequests.settings;
import static org.assertj.core.api.Assertions.assertThat;

class NotifyAgentTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    record Sent(URI url, Map<String, String> headers, byte[] body) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private int status = 204;

    private NotifyAgent agent() {
        return new NotifyAgent((url, headers, body) -> {
            sent.add(new Sent(url, Map.copyOf(headers), body));
            return status;
        }, Clock.fixed(NOW, ZoneOffset.UTC), name -> name.equals("HOOK_SECRET") ? "from-env" : null);
    }

    private static StageRequested notifyRequest(String settingsJson) {
        ObjectNode outputs = Json.MAPPER.createObjectNode();
        outputs.set("decide", json("{\"plan\":{\"actions\":[{\"type\":\"notify\",\"channel\":\"ops\",\"message\":\"hi\"}]}}"));
        outputs.set("act", json("{\"files\":[{\"path\":\"jobs/j/summary.md\",\"bytes\":3}],\"totalBytes\":3}"));
        return request("notify", "github", "pull_request", payload("github-pull-request"), outputs, settings(settingsJson));
    }

    private AgentOutcome run(StageRequested request) {
        return new AgentRunner(new AgentRegistry(Map.of("notify", agent()))).run(StageCall.of(request));
    }

    @Test
    void shouldDeliverNothingWhenNoSubscribersAreConfigured() {
        AgentOutcome outcome = run(request("notify", "shop", "webhook", json("{}")));

        JsonNode output = ((AgentOutcome.Success) outcome).output();
        assertThat(output).isEqualTo(json("{\"delivered\":0,\"reason\":\"no subscribers configured\"}"));
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldSignTheWebhookAsStandardWebhooksSpecifies() throws Exception {
        AgentOutcome outcome = run(notifyRequest("{\"subscribers\":[{\"url\":\"https://hooks.example.com/in\",\"secret\":\"s3cret\"}]}"));

        assertThat(outcome).isInstanceOf(AgentOutcome.Success.class);
        assertThat(sent).hasSize(1);
        Sent webhook = sent.get(0);
        String id = webhook.headers().get("webhook-id");
        String timestamp = webhook.headers().get("webhook-timestamp");
        assertThat(timestamp).isEqualTo(Long.toString(NOW.getEpochSecond()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(
                (id + "." + timestamp + "." + new String(webhook.body(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
        assertThat(webhook.headers().get("webhook-signature")).isEqualTo(expected);
        assertThat(webhook.headers().get("Idempotency-Key")).isEqualTo(JOB_ID + ":notify");
        assertThat(webhook.headers().get("content-type")).isEqualTo("application/json");
        assertThat(webhook.url()).isEqualTo(URI.create("https://hooks.example.com/in"));
    }

    @Test
    void shouldSendTheJobTheEventItsNotificationsAndArtifacts() throws Exception {
        run(notifyRequest("{\"subscribers\":[{\"url\":\"https://hooks.example.com/in\",\"secret\":\"s3cret\"}]}"));

        JsonNode body = Json.MAPPER.readTree(sent.get(0).body());
        assertThat(body.path("type").asText()).isEqualTo("jobpipe.job.processed");
        assertThat(body.path("timestamp").asText()).isEqualTo(NOW.toString());
        JsonNode data = body.path("data");
        assertThat(data.path("jobId").asText()).isEqualTo(JOB_ID);
        assertThat(data.path("event").path("type").asText()).isEqualTo("pull_request.opened");
        assertThat(data.path("priority").asText()).isEqualTo("high");
        assertThat(data.path("notifications").get(0).path("message").asText()).isEqualTo("hi");
        assertThat(data.path("artifacts")).extracting(JsonNode::asText).containsExactly("jobs/j/summary.md");
    }

    @Test
    void shouldBeVerifiableByTheReferenceLibraryWithAWhsecSecret() throws Exception {
        String secret = "whsec_" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
        // The reference verifier checks the timestamp against the real clock, so sign with it.
        NotifyAgent agent = new NotifyAgent((url, headers, body) -> {
            sent.add(new Sent(url, Map.copyOf(headers), body));
            return 200;
        }, Clock.systemUTC(), name -> null);

        agent.run(StageCall.of(notifyRequest("{\"subscribers\":[{\"url\":\"https://a.example.com/\",\"secret\":\"" + secret + "\"}]}")));

        Sent webhook = sent.get(0);
        Map<String, List<String>> headers = Map.of(
                "webhook-id", List.of(webhook.headers().get("webhook-id")),
                "webhook-timestamp", List.of(webhook.headers().get("webhook-timestamp")),
                "webhook-signature", List.of(webhook.headers().get("webhook-signature")));
        new Webhook(secret).verify(new String(webhook.body(), StandardCharsets.UTF_8), headers);
    }

    @Test
    void shouldKeepTheSameWebhookIdAcrossAttempts() {
        String settings = "{\"subscribers\":[{\"url\":\"https://a.example.com/\",\"secretEnv\":\"HOOK_SECRET\"},"
                + "{\"url\":\"http://b.example.com/hook\",\"secret\":\"two\"}]}";
        AgentOutcome first = run(notifyRequest(settings));
        AgentOutcome second = run(notifyRequest(settings));

        assertThat(sent).hasSize(4);
        assertThat(sent).extracting(s -> s.headers().get("webhook-id")).containsOnly(sent.get(0).headers().get("webhook-id"));
        assertThat(sent.get(0).headers().get("webhook-id")).startsWith("msg_").hasSize(36);
        assertThat(second).isEqualTo(first);
        assertThat(((AgentOutcome.Success) first).output().path("delivered").asInt()).isEqualTo(2);
    }

    @Test
    void shouldFailRetryablyOnANon2xxAnswer() {
        status = 503;

        AgentOutcome outcome = run(notifyRequest("{\"subscribers\":[{\"url\":\"https://a.example.com/\",\"secret\":\"x\"}]}"));

        assertThat(outcome).isEqualTo(AgentOutcome.failure("WebhookDeliveryFailed",
                "webhook to https://a.example.com answered HTTP 503", true));
    }

    @Test
    void shouldFailRetryablyWhenTheSubscriberCannotBeReached() {
        NotifyAgent agent = new NotifyAgent((url, headers, body) -> {
            throw new ConnectException("Connection refused");
        }, Clock.systemUTC(), name -> null);

        AgentOutcome outcome = new AgentRunner(new AgentRegistry(Map.of("notify", agent)))
                .run(StageCall.of(notifyRequest("{\"subscribers\":[{\"url\":\"https://a.example.com/\",\"secret\":\"x\"}]}")));

        AgentOutcome.Failure failure = (AgentOutcome.Failure) outcome;
        assertThat(failure.errorType()).isEqualTo("WebhookDeliveryFailed");
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.message()).contains("Connection refused");
    }

    @Test
    void shouldFailNonRetryablyOnAMalformedSubscriberWithoutLeakingSecrets() {
        AgentOutcome badUrl = run(notifyRequest("{\"subscribers\":[{\"url\":\"ftp://a.example.com/\",\"secret\":\"hunter2\"}]}"));
        AgentOutcome noSecret = run(notifyRequest("{\"subscribers\":[{\"url\":\"https://a.example.com/\"}]}"));
        AgentOutcome unsetEnv = run(notifyRequest("{\"subscribers\":[{\"url\":\"https://a.example.com/\",\"secretEnv\":\"NOPE\"}]}"));

        assertThat(List.of(badUrl, noSecret, unsetEnv)).allSatisfy(outcome -> {
            assertThat(outcome).isInstanceOf(AgentOutcome.Failure.class);
            assertThat(((AgentOutcome.Failure) outcome).errorType()).isEqualTo("InvalidSubscriber");
            assertThat(((AgentOutcome.Failure) outcome).retryable()).isFalse();
            assertThat(((AgentOutcome.Failure) outcome).message()).doesNotContain("hunter2");
        });
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldNotifyViaTheTransportEvenWhenItThrowsIoForOneOfSeveral() {
        List<URI> attempted = new ArrayList<>();
        NotifyAgent agent = new NotifyAgent((url, headers, body) -> {
            attempted.add(url);
            if (url.getHost().startsWith("b")) {
                throw new IOException("timeout");
            }
            return 200;
        }, Clock.systemUTC(), name -> null);

        AgentOutcome outcome = new AgentRunner(new AgentRegistry(Map.of("notify", agent))).run(StageCall.of(notifyRequest(
                "{\"subscribers\":[{\"url\":\"https://a.example.com/\",\"secret\":\"x\"},{\"url\":\"https://b.example.com/\",\"secret\":\"y\"}]}")));

        assertThat(attempted).hasSize(2);
        assertThat(((AgentOutcome.Failure) outcome).message()).contains("webhook to https://b.example.com failed");
    }

    @Test
    void shouldNameSubscribersByTheirOriginOnlyInOutputsAndErrors() {
        String settings = "{\"subscribers\":[{\"url\":\"https://hooks.example.com:8443/services/T0/B0/s3cretpath?k=v\","
                + "\"secret\":\"x\"}]}";
        AgentOutcome delivered = run(notifyRequest(settings));
        status = 500;
        AgentOutcome failed = run(notifyRequest(settings));

        JsonNode output = ((AgentOutcome.Success) delivered).output();
        assertThat(output.path("subscribers")).isEqualTo(json("[{\"target\":\"https://hooks.example.com:8443\",\"status\":204}]"));
        assertThat(((AgentOutcome.Failure) failed).message())
                .isEqualTo("webhook to https://hooks.example.com:8443 answered HTTP 500");
        assertThat(output.toString() + failed).doesNotContain("s3cretpath").doesNotContain("k=v");
    }
}
