package io.jobpipe.ingest.callback;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.jobpipe.ingest.support.TopicTail;
import io.jobpipe.ingest.support.WebhookHttp;
import io.jobpipe.support.callback.CallbackSecretProperties;
import io.jobpipe.support.callback.CallbackToken;
import io.jobpipe.support.callback.CallbackTokens;
import io.jobpipe.support.logging.AccessLog;
import io.jobpipe.testing.KafkaFixture;
import io.jobpipe.testing.PrometheusText;
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
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /callbacks/{token}} and {@code …/heartbeat} against a real broker: a 202 means exactly one stage result
 * for the token's job, stage and attempt is on {@code jobpipe.stage.results}; a forged, damaged or expired token and
 * a bad body get problem+json and leave the topic untouched.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallbackEndpointTest implements TestPropertyProvider {
    private static final String SECRET = "callback-secret-0123456789abcdef-0123456789";
    private static final String OLD_SECRET = "the-old-callback-secret-0123456789abcdef";
    private static final int MAX_BODY = 4096;
    private static final String STATUS_BASE = "http://status.test:8081";
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private final Topics topics = Topics.of("ingest-callbacks-" + UUID.randomUUID().toString().substring(0, 8) + ".");
    private final CallbackTokens tokens = new CallbackSecretProperties(SECRET, null).tokens("test");

    @Inject
    EmbeddedServer server;

    private WebhookHttp http;
    private TopicTail<StageResult> tail;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "kafka.bootstrap.servers", KafkaFixture.shared().bootstrapServers(),
                "jobpipe.topics.namespace", topics.namespace(),
                "jobpipe.topics.partitions", "2",
                "micronaut.server.port", "-1",
                "jobpipe.ingest.max-body-bytes", String.valueOf(MAX_BODY),
                "jobpipe.ingest.status-base-url", STATUS_BASE,
                "jobpipe.ingest.callbacks.enabled", "true",
                "jobpipe.callbacks.secret", SECRET,
                "jobpipe.callbacks.previous-secret", OLD_SECRET,
                "LOG_REQUESTS", "true");
    }

    @BeforeAll
    void awaitKafkaReady() {
        http = new WebhookHttp(server.getURI());
        await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health").statusCode() == 200);
        tail = new TopicTail<>(KafkaFixture.shared().bootstrapServers(), topics.stageResults);
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
    void shouldRecordASucceededResultForTheTokensAttemptWithTheCallersTrace() throws Exception {
        String jobId = newJobId();
        CallbackToken attempt = attempt(jobId, 2, Instant.now().plusSeconds(600));

        HttpResponse<String> response = http.post("/callbacks/" + tokens.mint(attempt), "application/json",
                "{\"status\":\"succeeded\",\"output\":{\"pages\":7,\"title\":\"ünïcode\"},\"summary\":\"parsed 7 pages\"}",
                Map.of("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode body = WebhookHttp.json(response);
        assertThat(body.get("jobId").asText()).isEqualTo(jobId);
        assertThat(body.get("stage").asText()).isEqualTo("parse");
        assertThat(body.get("attempt").asInt()).isEqualTo(2);
        assertThat(body.get("recorded").asText()).isEqualTo("StageSucceeded");
        assertThat(body.get("statusUrl").asText()).isEqualTo(STATUS_BASE + "/jobs/" + jobId);
        List<ConsumerRecord<String, StageResult>> records = tail.readThrough(jobId);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo(jobId);
        JsonNode expectedOutput = read("{\"pages\":7,\"title\":\"ünïcode\"}");
        assertThat(records.get(0).value()).isInstanceOfSatisfying(StageResult.StageSucceeded.class, succeeded -> {
            assertThat(succeeded.stage()).isEqualTo("parse");
            assertThat(succeeded.attempt()).isEqualTo(2);
            assertThat(succeeded.summary()).isEqualTo("parsed 7 pages");
            assertThat(succeeded.output()).isEqualTo(expectedOutput);
            assertThat(succeeded.startedAt()).isEqualTo(attempt.issuedAt());
            assertThat(succeeded.durationMs()).isGreaterThanOrEqualTo(60_000);
        });
        assertThat(KafkaTraceHeaders.traceIdOf(KafkaTraceHeaders.traceparent(records.get(0).headers())))
                .isEqualTo(TRACE_ID);
    }

    @Test
    void shouldRecordAFailureAsClassifiedByTheAgentsService() {
        String jobId = newJobId();

        HttpResponse<String> response = http.postJson("/callbacks/" + tokens.mint(attempt(jobId, 1,
                        Instant.now().plusSeconds(600))), "{\"status\":\"failed\",\"errorType\":\"ParserBusy\","
                + "\"message\":\"queue full\",\"retryable\":true,\"retryAfterSeconds\":20,\"log\":\"busy\\n\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(WebhookHttp.json(response).get("recorded").asText()).isEqualTo("StageFailed");
        assertThat(tail.readThrough(jobId)).singleElement().extracting(ConsumerRecord::value)
                .isInstanceOfSatisfying(StageResult.StageFailed.class, failed -> {
                    assertThat(failed.errorType()).isEqualTo("ParserBusy");
                    assertThat(failed.message()).isEqualTo("queue full");
                    assertThat(failed.retryable()).isTrue();
                    assertThat(failed.retryAfterMs()).isEqualTo(20_000L);
                    assertThat(failed.log()).isEqualTo("busy\n");
                });
    }

    @Test
    void shouldRecordHeartbeatsWithOrWithoutABody() {
        String jobId = newJobId();
        String token = tokens.mint(attempt(jobId, 1, Instant.now().plusSeconds(600)));

        HttpResponse<String> bare = http.post("/callbacks/" + token + "/heartbeat", null, new byte[0], Map.of());
        HttpResponse<String> withProgress = http.postJson("/callbacks/" + token + "/heartbeat",
                "{\"progress\":\"page 3 of 7\"}");

        assertThat(bare.statusCode()).as(bare.body()).isEqualTo(202);
        assertThat(withProgress.statusCode()).as(withProgress.body()).isEqualTo(202);
        assertThat(WebhookHttp.json(withProgress).get("recorded").asText()).isEqualTo("StageHeartbeat");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(tail.readThrough(jobId)).hasSize(2));
        assertThat(tail.readThrough(jobId)).extracting(ConsumerRecord::value)
                .allSatisfy(result -> assertThat(result).isInstanceOf(StageResult.StageHeartbeat.class))
                .extracting(result -> ((StageResult.StageHeartbeat) result).message())
                .containsExactlyInAnyOrder("the agent is alive (callback heartbeat)", "page 3 of 7");
    }

    @Test
    void shouldTakeATokenSignedWithThePreviousSecret() {
        String jobId = newJobId();
        String token = new CallbackSecretProperties(OLD_SECRET, null).tokens("test")
                .mint(attempt(jobId, 1, Instant.now().plusSeconds(600)));

        assertThat(http.post("/callbacks/" + token + "/heartbeat", null, new byte[0], Map.of()).statusCode())
                .isEqualTo(202);
        assertThat(tail.readThrough(jobId)).hasSize(1);
    }

    @Test
    void shouldRefuseForgedDamagedAndExpiredTokensAndProduceNothing() {
        String jobId = newJobId();
        String success = "{\"status\":\"succeeded\",\"output\":{}}";
        String forged = new CallbackSecretProperties("a-secret-jobpipe-never-had-0123456789abcdef", null)
                .tokens("test").mint(attempt(jobId, 1, Instant.now().plusSeconds(600)));
        String genuine = tokens.mint(attempt(jobId, 1, Instant.now().plusSeconds(600)));
        String damaged = genuine.substring(0, genuine.length() - 2) + (genuine.endsWith("AA") ? "BB" : "AA");
        Instant expiredAt = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        String expired = tokens.mint(new CallbackToken(jobId, "parse", 1, expiredAt.minusSeconds(600), expiredAt));

        assertProblem(http.postJson("/callbacks/" + forged, success), 401, "callback-token-invalid");
        assertProblem(http.postJson("/callbacks/" + damaged, success), 401, "callback-token-invalid");
        assertProblem(http.postJson("/callbacks/not-a-token", success), 401, "callback-token-invalid");
        assertProblem(http.post("/callbacks/" + forged + "/heartbeat", null, new byte[0], Map.of()), 401,
                "callback-token-invalid");
        JsonNode gone = assertProblem(http.postJson("/callbacks/" + expired, success), 404, "callback-expired");
        assertThat(gone.get("detail").asText()).contains("expired at " + expiredAt, "attempt 1 of stage parse");
        assertProblem(http.post("/callbacks/" + expired + "/heartbeat", null, new byte[0], Map.of()), 404,
                "callback-expired");

        assertOnlyRecordIsTheNextValidCallback();
    }

    @Test
    void shouldRefuseBadBodiesWithProblemJsonAndProduceNothing() {
        String token = tokens.mint(attempt(newJobId(), 1, Instant.now().plusSeconds(600)));

        JsonNode notJson = assertProblem(http.postJson("/callbacks/" + token, "{not json"), 400, "invalid-callback");
        assertThat(notJson.get("detail").asText()).contains("not valid JSON");
        JsonNode noOutput = assertProblem(http.postJson("/callbacks/" + token, "{\"status\":\"succeeded\"}"), 400,
                "invalid-callback");
        assertThat(noOutput.get("detail").asText()).contains("needs 'output'");
        assertProblem(http.postJson("/callbacks/" + token, ""), 400, "invalid-callback");
        assertProblem(http.postJson("/callbacks/" + token + "/heartbeat", "{\"progress\":3}"), 400,
                "invalid-callback");
        assertProblem(http.post("/callbacks/" + token, "text/plain", "{\"status\":\"succeeded\",\"output\":1}",
                Map.of()), 415, "unsupported-media-type");
        assertProblem(http.post("/callbacks/" + token, null, "{\"status\":\"succeeded\",\"output\":1}", Map.of()), 415,
                "unsupported-media-type");
        assertProblem(http.postJson("/callbacks/" + token, "{\"status\":\"succeeded\",\"output\":\""
                + "x".repeat(MAX_BODY) + "\"}"), 413, "payload-too-large");

        assertOnlyRecordIsTheNextValidCallback();
    }

    @Test
    void shouldCountCallbacksByOutcomeAndNeverLogATokenInTheAccessLog() {
        Logger accessLogger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        accessLogger.addAppender(appender);
        String jobId = newJobId();
        String token = tokens.mint(attempt(jobId, 1, Instant.now().plusSeconds(600)));
        try {
            assertThat(http.post("/callbacks/" + token + "/heartbeat", null, new byte[0],
                    Map.of("X-Request-Id", "cb-log-1")).statusCode()).isEqualTo(202);
            assertThat(http.postJson("/callbacks/" + token, "[]").statusCode()).isEqualTo(400);

            await().atMost(Duration.ofSeconds(5)).until(() -> appender.list.stream()
                    .anyMatch(e -> "cb-log-1".equals(e.getMDCPropertyMap().get("requestId"))));
            assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(line -> assertThat(line).contains("path=/callbacks/{token}/heartbeat", "status=202"))
                    .noneSatisfy(line -> assertThat(line).contains(token.substring(0, 20)));
        } finally {
            accessLogger.detachAppender(appender);
        }

        PrometheusText metrics = PrometheusText.parse(http.get("/metrics").body());
        assertThat(metrics.value("jobpipe_ingest_callbacks_total", Map.of("outcome", "heartbeat")))
                .isGreaterThanOrEqualTo(1);
        assertThat(metrics.value("jobpipe_ingest_callbacks_total", Map.of("outcome", "bad_request")))
                .isGreaterThanOrEqualTo(1);
    }

    /** Nothing reached Kafka: a valid callback sent afterwards is the only record since the test began. */
    private void assertOnlyRecordIsTheNextValidCallback() {
        String marker = newJobId();
        HttpResponse<String> response = http.post("/callbacks/" + tokens.mint(attempt(marker, 1,
                Instant.now().plusSeconds(600))) + "/heartbeat", null, new byte[0], Map.of());
        assertThat(response.statusCode()).isEqualTo(202);

        assertThat(tail.readThrough(marker)).extracting(ConsumerRecord::key).containsExactly(marker);
    }

    private static JsonNode assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                contentType -> assertThat(contentType).startsWith("application/problem+json"));
        JsonNode problem = WebhookHttp.json(response);
        assertThat(problem.get("type").asText()).isEqualTo("urn:jobpipe:problem:" + slug);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        return problem;
    }

    /** An attempt of stage {@code parse} that started a minute ago. */
    private static CallbackToken attempt(String jobId, int attempt, Instant expiresAt) {
        Instant issuedAt = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        return new CallbackToken(jobId, "parse", attempt, issuedAt, expiresAt);
    }

    private static String newJobId() {
        return "job_" + UUID.randomUUID().toString().replace("-", "").substring(0, 22);
    }

    private static JsonNode read(String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }
}
