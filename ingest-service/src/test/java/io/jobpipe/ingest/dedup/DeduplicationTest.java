package io.jobpipe.ingest.dedup;

import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.ingest.support.IngestDatabase;
import io.jobpipe.ingest.support.JobRequestedTail;
import io.jobpipe.ingest.support.WebhookHttp;
import io.jobpipe.ingest.webhook.WebhookController;
import io.jobpipe.runtime.infra.FreePorts;
import io.jobpipe.testing.KafkaFixture;
import io.jobpipe.testing.PostgresFixture;
import io.jobpipe.testing.PrometheusText;
import io.micronaut.context.ApplicationContext;
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

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One job per delivery, against the real broker and PostgreSQL: a resend gets the first job's id with
 * {@code Jobpipe-Duplicate: true} and produces nothing, on the same replica, on another one, and after a restart; a
 * delivery whose first produce failed is produced when it is retried.
 */
@MicronautTest(environments = "dev")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeduplicationTest implements TestPropertyProvider {
    private static final String STATUS_BASE = "http://status.test:8081";

    private final Topics topics = Topics.of("ingest-dedup-" + UUID.randomUUID().toString().substring(0, 8) + ".");

    @Inject
    EmbeddedServer server;
    @Inject
    DeliveryPruner pruner;

    private WebhookHttp http;
    private JobRequestedTail tail;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "kafka.bootstrap.servers", KafkaFixture.shared().bootstrapServers(),
                "jobpipe.topics.namespace", topics.namespace(),
                "jobpipe.topics.partitions", "2",
                "micronaut.server.port", "-1",
                "jobpipe.ingest.status-base-url", STATUS_BASE,
                "jobpipe.ingest.connections.hashed.scheme", "none",
                "jobpipe.ingest.connections.hashed.dedup-by-body-hash", "true");
    }

    @BeforeAll
    void awaitKafkaReady() {
        http = new WebhookHttp(server.getURI());
        awaitHealthy(http);
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
    void shouldAnswerAResendWithTheFirstJobIdAndProduceOnlyOnce() {
        String key = UUID.randomUUID().toString();
        double firstBefore = delivered("first");
        double duplicateBefore = delivered("duplicate");

        HttpResponse<String> first = post(http, "demo", "{\"n\":1}", Map.of("Idempotency-Key", key));
        HttpResponse<String> second = post(http, "demo", "{\"n\":1}", Map.of("Idempotency-Key", key));

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.headers().firstValue(WebhookController.DUPLICATE_HEADER)).isEmpty();
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(second.headers().firstValue(WebhookController.DUPLICATE_HEADER)).contains("true");
        String jobId = jobId(first);
        assertThat(WebhookHttp.json(second)).isEqualTo(WebhookHttp.json(first));
        assertThat(second.headers().firstValue("Location")).contains(STATUS_BASE + "/jobs/" + jobId);
        List<ConsumerRecord<String, JobRequested>> records = tail.readThrough(jobId);
        assertThat(records).extracting(ConsumerRecord::key).containsExactly(jobId);
        assertThat(records.get(0).value().deliveryId()).isEqualTo(key);
        assertThat(delivered("first")).isEqualTo(firstBefore + 1);
        assertThat(delivered("duplicate")).isEqualTo(duplicateBefore + 1);
    }

    private double delivered(String outcome) {
        // sum: 0 before the first webhook, when the deduplicator and its meters do not exist yet
        return PrometheusText.parse(http.get("/metrics").body())
                .sum("jobpipe_ingest_deliveries_total", Map.of("outcome", outcome));
    }

    @Test
    void shouldRecogniseAResentSignedGitHubDeliveryByItsDeliveryHeader() throws Exception {
        String body = "{\"ref\":\"refs/heads/main\",\"after\":\"" + UUID.randomUUID() + "\"}";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("dev-github-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        Map<String, String> github = Map.of("X-GitHub-Event", "push", "X-GitHub-Delivery", UUID.randomUUID().toString(),
                "X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8))));

        HttpResponse<String> first = post(http, "github", body, github);
        HttpResponse<String> redelivered = post(http, "github", body, github);

        assertThat(jobId(redelivered)).isEqualTo(jobId(first));
        assertThat(redelivered.headers().firstValue(WebhookController.DUPLICATE_HEADER)).contains("true");
        assertThat(tail.readThrough(jobId(first))).extracting(ConsumerRecord::key).containsExactly(jobId(first));
    }

    @Test
    void shouldNotStartASecondJobForASlackRetry() throws Exception {
        String eventId = "Ev" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
        String body = "{\"type\":\"event_callback\",\"team_id\":\"T1\",\"event_id\":\"" + eventId
                + "\",\"event\":{\"type\":\"app_mention\",\"text\":\"hi\"}}";

        HttpResponse<String> first = post(http, "slack", body, slackHeaders(body, Map.of()));
        // Slack resends an event it thinks was not acknowledged in time, signed afresh and marked as a retry.
        HttpResponse<String> retry = post(http, "slack", body,
                slackHeaders(body, Map.of("X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout")));

        assertThat(jobId(retry)).isEqualTo(jobId(first));
        assertThat(retry.headers().firstValue(WebhookController.DUPLICATE_HEADER)).contains("true");
        assertThat(tail.readThrough(jobId(first))).extracting(ConsumerRecord::key).containsExactly(jobId(first));
    }

    @Test
    void shouldNotStartASecondJobForAResentSlashCommand() throws Exception {
        String trigger = "13345224609.738474920." + UUID.randomUUID().toString().replace("-", "");
        String body = "team_id=T0001&channel_id=C1&user_id=U1&command=%2Fdeploy&text=staging&trigger_id=" + trigger;

        HttpResponse<String> first = http.post("/webhooks/slack", "application/x-www-form-urlencoded", body,
                slackHeaders(body, Map.of()));
        HttpResponse<String> resent = http.post("/webhooks/slack", "application/x-www-form-urlencoded", body,
                slackHeaders(body, Map.of()));

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(resent.statusCode()).as(resent.body()).isEqualTo(200);
        String jobId = slashCommandJobId(first);
        assertThat(slashCommandJobId(resent)).isEqualTo(jobId);
        assertThat(first.headers().firstValue(WebhookController.DUPLICATE_HEADER)).isEmpty();
        assertThat(resent.headers().firstValue(WebhookController.DUPLICATE_HEADER)).contains("true");
        assertThat(tail.readThrough(jobId)).extracting(ConsumerRecord::key).containsExactly(jobId);
    }

    /** A slash command's answer is Slack's own shape: an ephemeral message naming the job. */
    private static String slashCommandJobId(HttpResponse<String> response) {
        return WebhookHttp.json(response).get("text").asText().replaceAll(".*(job_[A-Za-z0-9_-]+).*", "$1");
    }

    private static Map<String, String> slackHeaders(String body, Map<String, String> extra) throws Exception {
        String timestamp = String.valueOf(System.currentTimeMillis() / 1000);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("dev-slack-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = "v0=" + HexFormat.of().formatHex(
                mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8)));
        Map<String, String> headers = new java.util.HashMap<>(extra);
        headers.put("X-Slack-Request-Timestamp", timestamp);
        headers.put("X-Slack-Signature", signature);
        return headers;
    }

    @Test
    void shouldKeepTheSameDeliveryIdOnTwoConnectionsApart() {
        String key = UUID.randomUUID().toString();

        HttpResponse<String> onDemo = post(http, "demo", "{}", Map.of("Idempotency-Key", key));
        HttpResponse<String> onHashed = post(http, "hashed", "{}", Map.of("Idempotency-Key", key));

        assertThat(jobId(onDemo)).isNotEqualTo(jobId(onHashed));
        assertThat(onHashed.headers().firstValue(WebhookController.DUPLICATE_HEADER)).isEmpty();
    }

    @Test
    void shouldStartAJobForEveryDeliveryWithoutAnIdUnlessTheConnectionHashesBodies() {
        String body = "{\"clicked\":\"" + UUID.randomUUID() + "\"}";

        String demo1 = jobId(post(http, "demo", body, Map.of()));
        HttpResponse<String> demo2 = post(http, "demo", body, Map.of());
        HttpResponse<String> hashed1 = post(http, "hashed", body, Map.of());
        HttpResponse<String> hashed2 = post(http, "hashed", body, Map.of());

        assertThat(jobId(demo2)).isNotEqualTo(demo1);
        assertThat(demo2.headers().firstValue(WebhookController.DUPLICATE_HEADER)).isEmpty();
        assertThat(jobId(hashed2)).isEqualTo(jobId(hashed1));
        assertThat(hashed2.headers().firstValue(WebhookController.DUPLICATE_HEADER)).contains("true");
        List<ConsumerRecord<String, JobRequested>> records = tail.readThrough(jobId(hashed1));
        assertThat(records).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder(demo1, jobId(demo2), jobId(hashed1));
    }

    @Test
    void shouldRecogniseADuplicateOnAnotherReplicaAndAfterThatReplicaRestarts() {
        String delivery = UUID.randomUUID().toString();
        Map<String, String> github = Map.of("X-GitHub-Delivery", delivery, "X-GitHub-Event", "push");
        String jobId = jobId(post(http, "demo", "{\"ref\":\"main\"}", github));

        try (EmbeddedServer replica = startReplica(KafkaFixture.shared().bootstrapServers())) {
            HttpResponse<String> onReplica = post(new WebhookHttp(replica.getURI()), "demo", "{\"ref\":\"main\"}", github);
            assertThat(jobId(onReplica)).isEqualTo(jobId);
            assertThat(onReplica.headers().firstValue(WebhookController.DUPLICATE_HEADER)).contains("true");
        }
        try (EmbeddedServer restarted = startReplica(KafkaFixture.shared().bootstrapServers())) {
            HttpResponse<String> afterRestart = post(new WebhookHttp(restarted.getURI()), "demo", "{\"ref\":\"main\"}", github);
            assertThat(jobId(afterRestart)).isEqualTo(jobId);
            assertThat(afterRestart.headers().firstValue(WebhookController.DUPLICATE_HEADER)).contains("true");
        }
        assertThat(tail.readThrough(jobId)).extracting(ConsumerRecord::key).containsExactly(jobId);
    }

    @Test
    void shouldProduceARetryOfADeliveryWhoseFirstAttemptGot503() {
        String key = UUID.randomUUID().toString();
        try (EmbeddedServer cutOff = startReplica("127.0.0.1:" + FreePorts.next())) {
            HttpResponse<String> refused = post(new WebhookHttp(cutOff.getURI()), "demo", "{\"n\":3}",
                    Map.of("Idempotency-Key", key));
            assertThat(refused.statusCode()).isEqualTo(503);
        }

        HttpResponse<String> retried = post(http, "demo", "{\"n\":3}", Map.of("Idempotency-Key", key));
        HttpResponse<String> resent = post(http, "demo", "{\"n\":3}", Map.of("Idempotency-Key", key));

        assertThat(retried.statusCode()).isEqualTo(202);
        assertThat(retried.headers().firstValue(WebhookController.DUPLICATE_HEADER)).isEmpty();
        assertThat(jobId(resent)).isEqualTo(jobId(retried));
        assertThat(resent.headers().firstValue(WebhookController.DUPLICATE_HEADER)).contains("true");
        assertThat(tail.readThrough(jobId(retried))).extracting(ConsumerRecord::key).containsExactly(jobId(retried));
    }

    @Test
    void shouldStillAcceptAndProduceOnceWhenTheLedgerIsUnavailable() throws Exception {
        String key = UUID.randomUUID().toString();
        double uncheckedBefore = delivered("unchecked");
        sql("ALTER TABLE ingest.deliveries RENAME TO deliveries_away");
        HttpResponse<String> accepted;
        try {
            accepted = post(http, "demo", "{\"n\":4}", Map.of("Idempotency-Key", key));
        } finally {
            sql("ALTER TABLE ingest.deliveries_away RENAME TO deliveries");
        }

        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(delivered("unchecked")).isEqualTo(uncheckedBefore + 1);
        assertThat(tail.readThrough(jobId(accepted))).extracting(ConsumerRecord::key).containsExactly(jobId(accepted));
        // The same delivery, produced again once the ledger is back: the same job id, which the orchestrator starts once.
        assertThat(jobId(post(http, "demo", "{\"n\":4}", Map.of("Idempotency-Key", key)))).isEqualTo(jobId(accepted));
    }

    @Test
    void shouldForgetDeliveriesOnlyAfterTheRetention() throws Exception {
        String old = jobId(post(http, "demo", "{}", Map.of("Idempotency-Key", UUID.randomUUID().toString())));
        String recent = jobId(post(http, "demo", "{}", Map.of("Idempotency-Key", UUID.randomUUID().toString())));
        sql("UPDATE ingest.deliveries SET first_seen_at = now() - interval '7 days 1 minute' WHERE job_id = '" + old + "'");

        pruner.pruneExpired();

        assertThat(count(old)).isZero();
        assertThat(count(recent)).isEqualTo(1);
    }

    private static int count(String jobId) throws Exception {
        try (Connection c = DriverManager.getConnection(IngestDatabase.currentJdbcUrl(),
                PostgresFixture.shared().username(), PostgresFixture.shared().password());
             Statement s = c.createStatement();
             var rows = s.executeQuery("SELECT count(*) FROM ingest.deliveries WHERE job_id = '" + jobId + "'")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(IngestDatabase.currentJdbcUrl(),
                PostgresFixture.shared().username(), PostgresFixture.shared().password());
             Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** Another ingest process in all but the JVM: its own context and port, the same topics, database and key. */
    private EmbeddedServer startReplica(String bootstrapServers) {
        Map<String, Object> properties = new HashMap<>(getProperties());
        properties.put("kafka.bootstrap.servers", bootstrapServers);
        properties.put("jobpipe.ingest.retry-after", "1s");
        EmbeddedServer replica = ApplicationContext.run(EmbeddedServer.class, properties, "test", "dev");
        if (bootstrapServers.equals(KafkaFixture.shared().bootstrapServers())) {
            awaitHealthy(new WebhookHttp(replica.getURI()));
        }
        return replica;
    }

    private static void awaitHealthy(WebhookHttp client) {
        await().atMost(Duration.ofSeconds(60)).until(() -> client.get("/health").statusCode() == 200);
    }

    private static HttpResponse<String> post(WebhookHttp client, String connection, String json,
                                             Map<String, String> headers) {
        return client.post("/webhooks/" + connection, "application/json", json, headers);
    }

    private static String jobId(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return WebhookHttp.json(response).get("jobId").asText();
    }
}
