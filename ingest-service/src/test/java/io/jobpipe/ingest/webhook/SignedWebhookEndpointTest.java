package io.jobpipe.ingest.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.ingest.support.JobRequestedTail;
import io.jobpipe.ingest.support.Sign;
import io.jobpipe.ingest.support.WebhookHttp;
import io.jobpipe.testing.KafkaFixture;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dev profile's signed connections (application-dev.yml, the secrets README lists) against a real broker:
 * an authentic delivery becomes exactly one JobRequested carrying the sender's delivery id and event type; a tampered,
 * unsigned or stale one gets 401 problem+json and nothing reaches Kafka; handshakes (GitHub's ping, Slack's
 * url_verification) are answered at once and start no job; a Slack slash command gets its ephemeral answer synchronously.
 */
@MicronautTest(environments = "dev")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignedWebhookEndpointTest implements TestPropertyProvider {
    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";

    private final Topics topics = Topics.of("ingest-signed-" + UUID.randomUUID().toString().substring(0, 8) + ".");

    @Inject
    EmbeddedServer server;

    private WebhookHttp http;
    private JobRequestedTail tail;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "kafka.bootstrap.servers", KafkaFixture.shared().bootstrapServers(),
                "jobpipe.topics.namespace", topics.namespace(),
                "jobpipe.topics.partitions", "2",
                "micronaut.server.port", "-1",
                "jobpipe.ingest.status-base-url", "http://status.test:8081",
                "jobpipe.ingest.connections.small.scheme", "hmac",
                "jobpipe.ingest.connections.small.secrets", "small-secret",
                "jobpipe.ingest.connections.small.max-body-bytes", "64");
    }

    @BeforeAll
    void awaitKafkaReady() {
        http = new WebhookHttp(server.getURI());
        await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health").statusCode() == 200);
        tail = new JobRequestedTail(KafkaFixture.shared().bootstrapServers(), topics.jobsRequested);
    }

    @BeforeEach
    void startAfterRecordsOfEarlierTests() {
        tail.markEnd();
    }

    @AfterAll
    void closeTail() {
        tail.close();
    }

    @Test
    void shouldAcceptASignedGithubDeliveryAsOneJobWithItsDeliveryIdAndEvent() throws Exception {
        String body = "{\"ref\":\"refs/heads/main\",\"commits\":[]}";

        HttpResponse<String> response = http.post("/webhooks/github", JSON, body, Map.of(
                "X-Hub-Signature-256", Sign.github("dev-github-secret", body),
                "X-GitHub-Event", "push",
                "X-GitHub-Delivery", "b1f3c2a0-0d4e-11ef-9a5b-1c2d3e4f5a6b"));

        assertThat(response.statusCode()).isEqualTo(202);
        String jobId = WebhookHttp.json(response).get("jobId").asText();
        List<ConsumerRecord<String, JobRequested>> records = tail.readThrough(jobId);
        assertThat(records).hasSize(1);
        JobRequested event = records.get(0).value();
        assertThat(event.connection()).isEqualTo("github");
        assertThat(event.eventType()).isEqualTo("push");
        assertThat(event.deliveryId()).isEqualTo("b1f3c2a0-0d4e-11ef-9a5b-1c2d3e4f5a6b");
        assertThat(event.payload()).isEqualTo(Json.MAPPER.readTree(body));
    }

    @Test
    void shouldAcceptAFormEncodedGithubDeliveryAndStoreItsPayloadJson() throws Exception {
        String json = "{\"action\":\"opened\",\"issue\":{\"title\":\"a & b = c\"}}";
        String body = "payload=" + URLEncoder.encode(json, StandardCharsets.UTF_8);

        HttpResponse<String> response = http.post("/webhooks/github", FORM, body, Map.of(
                "X-Hub-Signature-256", Sign.github("dev-github-secret", body), "X-GitHub-Event", "issues"));

        assertThat(response.statusCode()).isEqualTo(202);
        String jobId = WebhookHttp.json(response).get("jobId").asText();
        assertThat(tail.readThrough(jobId).get(0).value().payload()).isEqualTo(Json.MAPPER.readTree(json));
    }

    @Test
    void shouldAnswer401ProblemToATamperedGithubDeliveryAndWriteNothing() {
        String signed = "{\"ref\":\"refs/heads/main\"}";

        HttpResponse<String> response = http.post("/webhooks/github", JSON, "{\"ref\":\"refs/heads/evil\"}", Map.of(
                "X-Hub-Signature-256", Sign.github("dev-github-secret", signed), "X-GitHub-Event", "push"));

        assertSignatureRejected(response, "/webhooks/github");
        assertOnlyRecordIsTheNextValidWebhook();
    }

    @Test
    void shouldAnswer401ProblemToAnUnsignedOrWronglySignedDeliveryAndWriteNothing() {
        String body = "{\"ref\":\"refs/heads/main\"}";

        assertSignatureRejected(http.post("/webhooks/github", JSON, body, Map.of("X-GitHub-Event", "push")),
                "/webhooks/github");
        assertSignatureRejected(http.post("/webhooks/github", JSON, body, Map.of(
                "X-Hub-Signature-256", Sign.github("not-the-secret", body))), "/webhooks/github");
        assertOnlyRecordIsTheNextValidWebhook();
    }

    @Test
    void shouldAnswer415ProblemToAContentTypeTheConnectionDoesNotAcceptAndWriteNothing() {
        String body = "{\"ref\":\"refs/heads/main\"}";

        HttpResponse<String> response = http.post("/webhooks/github", "text/plain", body, Map.of(
                "X-Hub-Signature-256", Sign.github("dev-github-secret", body), "X-GitHub-Event", "push"));

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                contentType -> assertThat(contentType).startsWith("application/problem+json"));
        assertThat(WebhookHttp.json(response).get("type").asText()).isEqualTo("urn:jobpipe:problem:unsupported-media-type");
        assertOnlyRecordIsTheNextValidWebhook();
    }

    @Test
    void shouldAnswerGithubPingWith200AndStartNoJob() {
        String body = "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}";

        HttpResponse<String> response = http.post("/webhooks/github", JSON, body, Map.of(
                "X-Hub-Signature-256", Sign.github("dev-github-secret", body), "X-GitHub-Event", "ping",
                "X-GitHub-Delivery", "ping-1"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(WebhookHttp.json(response).has("jobId")).isFalse();
        assertOnlyRecordIsTheNextValidWebhook();
    }

    @Test
    void shouldAnswerSlackUrlVerificationWithTheChallengeAndStartNoJob() {
        long now = System.currentTimeMillis() / 1000;
        String body = "{\"token\":\"Jhj5dZrVaK7ZwHHjRyZWjbDl\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\","
                + "\"type\":\"url_verification\"}";

        HttpResponse<String> response = http.post("/webhooks/slack", JSON, body, slack(now, body));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(WebhookHttp.json(response).get("challenge").asText())
                .isEqualTo("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
        assertOnlyRecordIsTheNextValidWebhook();
    }

    @Test
    void shouldAnswerASlashCommandSynchronouslyWithAnEphemeralMessageNamingItsJob() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String body = "token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&channel_id=C2147483705&user_id=U2147483697"
                + "&command=%2Fdeploy&text=staging&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678"
                + "&trigger_id=13345224609.738474920.8088930838d88f008e0";

        long started = System.nanoTime();
        HttpResponse<String> response = http.post("/webhooks/slack", FORM, body, slack(now, body));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(took).isLessThan(Duration.ofSeconds(3));
        JsonNode message = WebhookHttp.json(response);
        assertThat(message.get("response_type").asText()).isEqualTo("ephemeral");
        String jobId = message.get("text").asText().replaceAll(".*(job_[A-Za-z0-9_-]+).*", "$1");
        List<ConsumerRecord<String, JobRequested>> records = tail.readThrough(jobId);
        assertThat(records).hasSize(1);
        JobRequested event = records.get(0).value();
        assertThat(event.eventType()).isEqualTo("slash_command");
        assertThat(event.deliveryId()).isEqualTo("13345224609.738474920.8088930838d88f008e0");
        assertThat(event.payload().get("command").asText()).isEqualTo("/deploy");
        assertThat(event.payload().has("token")).isFalse();
    }

    @Test
    void shouldAnswer401ToAStaleSlackRequestAndWriteNothing() {
        long sixMinutesAgo = System.currentTimeMillis() / 1000 - 360;
        String body = "{\"type\":\"event_callback\",\"event_id\":\"Ev1\",\"event\":{\"type\":\"app_mention\"}}";

        assertSignatureRejected(http.post("/webhooks/slack", JSON, body, slack(sixMinutesAgo, body)), "/webhooks/slack");
        assertOnlyRecordIsTheNextValidWebhook();
    }

    @Test
    void shouldAcceptStripeStandardWebhooksAndHmacDeliveriesSignedWithTheDevSecrets() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String stripe = "{\"id\":\"evt_1NG8Du2eZvKYlo2CUI79vXWy\",\"object\":\"event\",\"type\":\"invoice.paid\"}";
        String standard = "{\"type\":\"user.created\",\"timestamp\":\"2026-12-02T05:00:00Z\",\"data\":{}}";
        String generic = "{\"order\":42}";

        JobRequested fromStripe = acceptedEvent(http.post("/webhooks/stripe", JSON, stripe, Map.of("Stripe-Signature",
                "t=" + now + ",v1=" + Sign.hmacHex("whsec_dev_stripe_secret", now + "." + stripe))));
        JobRequested fromStandard = acceptedEvent(http.post("/webhooks/standard-webhooks", JSON, standard, Map.of(
                "webhook-id", "msg_2Zb1", "webhook-timestamp", String.valueOf(now), "webhook-signature",
                new Webhook("whsec_ZGV2LXN0YW5kYXJkLXdlYmhvb2tzLXNlY3JldA==").sign("msg_2Zb1", now, standard))));
        JobRequested fromHmac = acceptedEvent(http.post("/webhooks/hmac", JSON, generic, Map.of(
                "X-Signature", Sign.hmacHex("dev-hmac-secret", generic), "Idempotency-Key", "order-42",
                "X-Event-Type", "order.created")));

        assertThat(List.of(fromStripe.deliveryId(), fromStripe.eventType()))
                .containsExactly("evt_1NG8Du2eZvKYlo2CUI79vXWy", "invoice.paid");
        assertThat(List.of(fromStandard.deliveryId(), fromStandard.eventType())).containsExactly("msg_2Zb1", "user.created");
        assertThat(List.of(fromHmac.deliveryId(), fromHmac.eventType())).containsExactly("order-42", "order.created");
    }

    @Test
    void shouldApplyAConnectionsOwnBodyLimit() {
        String fits = "{\"pad\":\"" + "x".repeat(64 - 10) + "\"}";
        String over = "{\"pad\":\"" + "x".repeat(65 - 10) + "\"}";

        HttpResponse<String> accepted = http.post("/webhooks/small", JSON, fits,
                Map.of("X-Signature", Sign.hmacHex("small-secret", fits)));
        HttpResponse<String> refused = http.post("/webhooks/small", JSON, over,
                Map.of("X-Signature", Sign.hmacHex("small-secret", over)));

        assertThat(fits).hasSize(64);
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(WebhookHttp.json(refused).get("detail").asText()).contains("64 bytes");
    }

    private JobRequested acceptedEvent(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String jobId = WebhookHttp.json(response).get("jobId").asText();
        return tail.readThrough(jobId).stream().filter(r -> r.key().equals(jobId)).findFirst().orElseThrow().value();
    }

    private static Map<String, String> slack(long timestamp, String body) {
        return Map.of("X-Slack-Request-Timestamp", String.valueOf(timestamp),
                "X-Slack-Signature", Sign.slack("dev-slack-secret", timestamp, body));
    }

    private static void assertSignatureRejected(HttpResponse<String> response, String instance) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                contentType -> assertThat(contentType).startsWith("application/problem+json"));
        JsonNode problem = WebhookHttp.json(response);
        assertThat(problem.get("type").asText()).isEqualTo("urn:jobpipe:problem:signature-rejected");
        assertThat(problem.get("instance").asText()).isEqualTo(instance);
        assertThat(problem.get("requestId").asText()).isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(response.body()).doesNotContain("dev-github-secret").doesNotContain("dev-slack-secret");
    }

    /** Nothing reached Kafka: a valid webhook sent afterwards is the only record since the test began. */
    private void assertOnlyRecordIsTheNextValidWebhook() {
        String body = "{\"marker\":true}";
        HttpResponse<String> marker = http.post("/webhooks/github", JSON, body, Map.of(
                "X-Hub-Signature-256", Sign.github("dev-github-secret", body), "X-GitHub-Event", "push"));
        assertThat(marker.statusCode()).isEqualTo(202);
        String jobId = WebhookHttp.json(marker).get("jobId").asText();

        assertThat(tail.readThrough(jobId)).extracting(ConsumerRecord::key).containsExactly(jobId);
    }
}
