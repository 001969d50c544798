package io.jobpipe.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.runtime.client.WebhookSample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SendCommandTest {
    private final TestHttpServer ingest = TestHttpServer.start();

    @AfterEach
    void stop() {
        ingest.close();
    }

    @Test
    void shouldPostTheGithubSampleWithItsHeadersAndPrintTheJobAndItsLinks() throws Exception {
        ingest.on("/webhooks/", exchange -> TestHttpServer.json(exchange, 202,
                "{\"jobId\":\"job_abc\",\"statusUrl\":\"http://localhost:8081/jobs/job_abc\",\"eventsUrl\":\"/jobs/job_abc/events\"}"));

        CliRun run = CliRun.of("send", "--sample", "github", "--delivery-id", "d-42", "--ingest-url", ingest.url(),
                "--status-url", "http://status.test:9");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("accepted: job job_abc (HTTP 202", "delivery d-42",
                "status  http://localhost:8081/jobs/job_abc", "events  http://status.test:9/jobs/job_abc/events",
                "./jobpipe watch job_abc");
        TestHttpServer.Received request = ingest.received().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.uri()).isEqualTo("/webhooks/demo");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("X-Event-Type")).isEqualTo("push");
        assertThat(request.header("X-Delivery-Id")).isEqualTo("d-42");
        assertThat(request.header("X-GitHub-Event")).isEqualTo("push");
        assertThat(request.header("X-GitHub-Delivery")).isEqualTo("d-42");
        assertThat(Json.MAPPER.readTree(request.body())).isEqualTo(Json.MAPPER.readTree(WebhookSample.GITHUB.body()));
    }

    @Test
    void shouldPostAFileToTheChosenConnectionWithAFreshDeliveryIdAndExtraHeaders(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("order.json");
        Files.writeString(file, "{\"order\":42}");
        ingest.on("/webhooks/", exchange -> TestHttpServer.json(exchange, 202, "{\"jobId\":\"job_f\"}"));

        CliRun run = CliRun.of("send", "--connection", "shop", "--file", file.toString(), "--event-type", "order.created",
                "-H", "X-Tenant=acme", "--ingest-url", ingest.url(), "--status-url", "http://127.0.0.1:1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        TestHttpServer.Received request = ingest.received().get(0);
        assertThat(request.uri()).isEqualTo("/webhooks/shop");
        assertThat(request.body()).isEqualTo("{\"order\":42}");
        assertThat(request.header("X-Event-Type")).isEqualTo("order.created");
        assertThat(request.header("X-Delivery-Id")).startsWith("cli-");
        assertThat(request.header("X-Tenant")).isEqualTo("acme");
        assertThat(run.out()).contains("status  http://127.0.0.1:1/jobs/job_f");
    }

    @Test
    void shouldSignTheGithubSampleWithTheDevSecretByDefault() throws Exception {
        ingest.on("/webhooks/", exchange -> TestHttpServer.json(exchange, 202, "{\"jobId\":\"job_gh\"}"));

        CliRun run = CliRun.of("send", "--connection", "github", "--delivery-id", "d-7", "--ingest-url", ingest.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("delivery d-7, signed github");
        TestHttpServer.Received request = ingest.received().get(0);
        assertThat(request.uri()).isEqualTo("/webhooks/github");
        assertThat(Json.MAPPER.readTree(request.body())).isEqualTo(Json.MAPPER.readTree(WebhookSample.GITHUB.body()));
        assertThat(request.header("X-Hub-Signature-256")).isEqualTo("sha256=" + hmacHex("dev-github-secret", request.body()));
        assertThat(request.header("X-GitHub-Event")).isEqualTo("push");
        assertThat(request.header("X-GitHub-Delivery")).isEqualTo("d-7");
    }

    @Test
    void shouldSignWithTheSecretGivenOnTheCommandLine() {
        ingest.on("/webhooks/", exchange -> TestHttpServer.json(exchange, 202, "{\"jobId\":\"job_gh\"}"));

        CliRun run = CliRun.of("send", "--connection", "github", "--secret", "rotated-secret", "--ingest-url", ingest.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        TestHttpServer.Received request = ingest.received().get(0);
        assertThat(request.header("X-Hub-Signature-256")).isEqualTo("sha256=" + hmacHex("rotated-secret", request.body()));
    }

    @Test
    void shouldSignForEachDevSchemeAsItsSenderDoes() throws Exception {
        ingest.on("/webhooks/", exchange -> TestHttpServer.json(exchange, 202, "{\"jobId\":\"job_s\"}"));

        assertThat(CliRun.of("send", "--connection", "slack", "--delivery-id", "Ev42", "--ingest-url", ingest.url()).exitCode()).isZero();
        assertThat(CliRun.of("send", "--connection", "stripe", "--delivery-id", "evt_42", "--ingest-url", ingest.url()).exitCode()).isZero();
        assertThat(CliRun.of("send", "--connection", "standard-webhooks", "--delivery-id", "msg_42", "--ingest-url", ingest.url()).exitCode()).isZero();
        assertThat(CliRun.of("send", "--connection", "hmac", "--delivery-id", "order-42", "--ingest-url", ingest.url()).exitCode()).isZero();

        TestHttpServer.Received slack = ingest.received().get(0);
        String ts = slack.header("X-Slack-Request-Timestamp");
        assertThat(Math.abs(Long.parseLong(ts) - System.currentTimeMillis() / 1000)).isLessThan(60);
        assertThat(slack.header("X-Slack-Signature")).isEqualTo("v0=" + hmacHex("dev-slack-secret", "v0:" + ts + ":" + slack.body()));
        assertThat(Json.MAPPER.readTree(slack.body()).get("event_id").asText()).as("Slack's delivery id").isEqualTo("Ev42");

        TestHttpServer.Received stripe = ingest.received().get(1);
        String t = stripe.header("Stripe-Signature").replaceAll("^t=(\\d+),.*", "$1");
        assertThat(stripe.header("Stripe-Signature")).isEqualTo("t=" + t + ",v1=" + hmacHex("whsec_dev_stripe_secret", t + "." + stripe.body()));
        assertThat(Json.MAPPER.readTree(stripe.body()).get("id").asText()).isEqualTo("evt_42");

        TestHttpServer.Received standard = ingest.received().get(2);
        assertThat(standard.header("webhook-id")).isEqualTo("msg_42");
        byte[] key = java.util.Base64.getDecoder().decode("ZGV2LXN0YW5kYXJkLXdlYmhvb2tzLXNlY3JldA==");
        assertThat(standard.header("webhook-signature")).isEqualTo("v1," + java.util.Base64.getEncoder().encodeToString(
                hmac(key, "msg_42." + standard.header("webhook-timestamp") + "." + standard.body())));

        TestHttpServer.Received hmac = ingest.received().get(3);
        assertThat(hmac.header("X-Signature")).isEqualTo(hmacHex("dev-hmac-secret", hmac.body()));
        assertThat(hmac.header("Idempotency-Key")).isEqualTo("order-42");
    }

    @Test
    void shouldAskForTheSchemeOfAConnectionOutsideTheDevConfiguration(@TempDir Path dir) throws Exception {
        ingest.on("/webhooks/", exchange -> TestHttpServer.json(exchange, 202, "{\"jobId\":\"job_x\"}"));

        CliRun unknown = CliRun.of("send", "--connection", "shop", "--secret", "s3cret", "--ingest-url", ingest.url());
        CliRun named = CliRun.of("send", "--connection", "shop", "--scheme", "hmac", "--secret", "s3cret",
                "--ingest-url", ingest.url());

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("name its --scheme");
        assertThat(named.exitCode()).as(named.err()).isZero();
        TestHttpServer.Received request = ingest.received().get(0);
        assertThat(request.header("X-Signature")).isEqualTo(hmacHex("s3cret", request.body()));
    }

    @Test
    void shouldPrintTheProblemTitleAndDetailAndExitOne() {
        ingest.on("/webhooks/", exchange -> TestHttpServer.respond(exchange, 404, "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":\"Unknown connection\",\"status\":404,\"detail\":\"no connection named 'nope'\"}"));

        CliRun run = CliRun.of("send", "--connection", "nope", "--ingest-url", ingest.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("Unknown connection (404): no connection named 'nope'");
    }

    @Test
    void shouldShowRetryAfterWhenIngestCannotReachKafka() {
        ingest.on("/webhooks/", exchange -> {
            exchange.getResponseHeaders().set("Retry-After", "5");
            TestHttpServer.respond(exchange, 503, "application/problem+json",
                    "{\"title\":\"Kafka unavailable\",\"status\":503,\"detail\":\"the event was not stored\"}");
        });

        CliRun run = CliRun.of("send", "--ingest-url", ingest.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("Kafka unavailable (503): the event was not stored — retry after 5 s");
    }

    @Test
    void shouldSayIngestIsUnreachableWhenNothingListens() {
        String url = ingest.url();
        ingest.close();

        CliRun run = CliRun.of("send", "--ingest-url", url);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("ingest is not reachable at " + url);
    }

    @Test
    void shouldRefuseAFileThatIsNotJsonWithoutSendingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "not json {");
        ingest.on("/webhooks/", exchange -> TestHttpServer.json(exchange, 202, "{\"jobId\":\"job_x\"}"));

        CliRun run = CliRun.of("send", "--file", file.toString(), "--ingest-url", ingest.url());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("is not JSON");
        assertThat(ingest.received()).isEmpty();
    }

    @Test
    void shouldShipEverySampleAsAJsonObject() throws Exception {
        for (WebhookSample sample : WebhookSample.values()) {
            JsonNode body = Json.MAPPER.readTree(sample.body());
            assertThat(body.isObject()).as(sample.label()).isTrue();
        }
        JsonNode patch = Json.MAPPER.readTree(WebhookSample.PATCH.body());
        assertThat(patch.path("patch").path("mutations").get(0).has("contents")).isTrue();
        assertThat(patch.has("target_file")).isTrue();
    }

    private static String hmacHex(String secret, String signed) {
        return java.util.HexFormat.of().formatHex(hmac(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), signed));
    }

    private static byte[] hmac(byte[] key, String signed) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(signed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
