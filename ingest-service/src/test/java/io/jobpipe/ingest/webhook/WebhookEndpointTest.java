package io.jobpipe.ingest.webhook;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.jobpipe.ingest.support.FailingTestController;
import io.jobpipe.ingest.support.JobRequestedTail;
import io.jobpipe.ingest.support.WebhookHttp;
import io.jobpipe.support.logging.AccessLog;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /webhooks/{connection}} against a real broker: a 202 means exactly one JobRequested is on
 * {@code jobpipe.jobs.requested}; every refusal is problem+json and leaves the topic untouched.
 */
@MicronautTest(environments = "dev")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookEndpointTest implements TestPropertyProvider {
    private static final int MAX_BODY = 4096;
    private static final String STATUS_BASE = "http://status.test:8081";
    private static final String INCOMING_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String INCOMING_TRACEPARENT = "00-" + INCOMING_TRACE_ID + "-00f067aa0ba902b7-01";

    private final Topics topics = Topics.of("ingest-webhooks-" + UUID.randomUUID().toString().substring(0, 8) + ".");

    @Inject
    EmbeddedServer server;

    private WebhookHttp http;
    private JobRequestedTail tail;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", KafkaFixture.shared().bootstrapServers(),
                "jobpipe.topics.namespace", topics.namespace(),
                "jobpipe.topics.partitions", "2",
                "micronaut.server.port", "-1",
                // These tests read the health details, which are hidden unless configured.
                "endpoints.health.details-visible", "ANONYMOUS",
                "jobpipe.ingest.max-body-bytes", String.valueOf(MAX_BODY),
                "jobpipe.ingest.status-base-url", STATUS_BASE + "/",
                "jobpipe.ingest.connections.retired.scheme", "none",
                "jobpipe.ingest.connections.retired.enabled", "false",
                "LOG_REQUESTS", "true"));
        properties.put("jobpipe.ingest.connections.loose.scheme", "none");
        properties.put("jobpipe.ingest.connections.loose.content-types",
                "application/json,text/plain,application/x-www-form-urlencoded");
        return properties;
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
    void shouldAnswer202OnlyAfterWritingExactlyOneJobRequestedWithTraceparent() throws Exception {
        String payload = "{\"action\":\"opened\",\"pull_request\":{\"number\":42,\"title\":\"ünïcode\"}}";

        HttpResponse<String> response = http.post("/webhooks/demo", "application/json; charset=utf-8", payload, Map.of(
                "X-GitHub-Event", "pull_request",
                "X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958",
                "X-Request-Id", "caller-req-1",
                "traceparent", INCOMING_TRACEPARENT));

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = WebhookHttp.json(response);
        String jobId = body.get("jobId").asText();
        assertThat(jobId).startsWith("job_");
        assertThat(body.get("statusUrl").asText()).isEqualTo(STATUS_BASE + "/jobs/" + jobId);
        assertThat(body.get("eventsUrl").asText()).isEqualTo(STATUS_BASE + "/jobs/" + jobId + "/events");
        assertThat(response.headers().firstValue("Location")).contains(STATUS_BASE + "/jobs/" + jobId);
        assertThat(response.headers().firstValue("X-Request-Id")).contains("caller-req-1");
        assertThat(response.headers().firstValue("X-Trace-Id")).contains(INCOMING_TRACE_ID);

        List<ConsumerRecord<String, JobRequested>> records = tail.readThrough(jobId);
        assertThat(records).hasSize(1);
        ConsumerRecord<String, JobRequested> record = records.get(0);
        assertThat(record.key()).isEqualTo(jobId);
        JobRequested event = record.value();
        assertThat(event.jobId()).isEqualTo(jobId);
        assertThat(event.connection()).isEqualTo("demo");
        assertThat(event.eventType()).isEqualTo("pull_request");
        assertThat(event.deliveryId()).isEqualTo("72d3162e-cc78-11e3-81ab-4c9367dc0958");
        assertThat(event.requestId()).isEqualTo("caller-req-1");
        assertThat(event.payload()).isEqualTo(Json.MAPPER.readTree(payload));
        String traceparent = KafkaTraceHeaders.traceparent(record.headers());
        assertThat(KafkaTraceHeaders.traceIdOf(traceparent)).isEqualTo(INCOMING_TRACE_ID);
        assertThat(traceparent).as("the record carries ingest's server span, a child of the caller's")
                .doesNotContain("00f067aa0ba902b7");
    }

    @Test
    void shouldStartANewTraceAndDefaultsWhenTheSenderGaveNoHeaders() {
        HttpResponse<String> response = http.postJson("/webhooks/demo", "[1,2,3]");

        assertThat(response.statusCode()).isEqualTo(202);
        String jobId = WebhookHttp.json(response).get("jobId").asText();
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(requestId).startsWith("req_");
        ConsumerRecord<String, JobRequested> record = tail.readThrough(jobId).get(0);
        assertThat(record.value().eventType()).isEqualTo("webhook");
        assertThat(record.value().deliveryId()).isNull();
        assertThat(record.value().requestId()).isEqualTo(requestId);
        assertThat(KafkaTraceHeaders.traceIdOf(KafkaTraceHeaders.traceparent(record.headers())))
                .isEqualTo(response.headers().firstValue("X-Trace-Id").orElseThrow());
    }

    @ParameterizedTest
    @CsvSource({"application/x-www-form-urlencoded", "text/plain"})
    void shouldReadTheBodyAsRawJsonOnAConnectionThatAcceptsLooseLabels(String contentType) throws Exception {
        String payload = "{\"query\":\"a=1&b=2\",\"text\":\"plain+text%20\"}";

        HttpResponse<String> response = http.post("/webhooks/loose", contentType, payload, Map.of());

        assertThat(response.statusCode()).isEqualTo(202);
        String jobId = WebhookHttp.json(response).get("jobId").asText();
        assertThat(tail.readThrough(jobId).get(0).value().payload()).isEqualTo(Json.MAPPER.readTree(payload));
    }

    @Test
    void shouldAcceptConcurrentWebhooksEachAsExactlyOneRecord() {
        int count = 24;
        ExecutorService senders = Executors.newFixedThreadPool(count);
        try {
            List<CompletableFuture<HttpResponse<String>>> inFlight = IntStream.range(0, count)
                    .mapToObj(i -> CompletableFuture.supplyAsync(
                            () -> http.postJson("/webhooks/demo", "{\"n\":" + i + "}"), senders))
                    .toList();
            List<String> jobIds = inFlight.stream().map(CompletableFuture::join)
                    .peek(response -> assertThat(response.statusCode()).isEqualTo(202))
                    .map(response -> WebhookHttp.json(response).get("jobId").asText())
                    .toList();

            List<ConsumerRecord<String, JobRequested>> records = tail.readThrough(jobIds.get(count - 1));
            assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(jobIds);
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void shouldAnswer404ProblemForUnknownConnectionAndWriteNothing() {
        HttpResponse<String> response = http.postJson("/webhooks/nobody", "{\"a\":1}");

        assertProblem(response, 404, "urn:jobpipe:problem:unknown-connection", "/webhooks/nobody");
        assertOnlyRecordIsTheNextValidWebhook();
    }

    @Test
    void shouldAnswer404ProblemForDisabledConnectionAndWriteNothing() {
        HttpResponse<String> response = http.postJson("/webhooks/retired", "{\"a\":1}");

        assertProblem(response, 404, "urn:jobpipe:problem:unknown-connection", "/webhooks/retired");
        assertOnlyRecordIsTheNextValidWebhook();
    }

    @Test
    void shouldAnswer400ProblemForNonJsonBodyAndWriteNothing() {
        HttpResponse<String> response = http.postJson("/webhooks/demo", "this is { not json");

        JsonNode problem = assertProblem(response, 400, "urn:jobpipe:problem:invalid-json", "/webhooks/demo");
        assertThat(problem.get("detail").asText()).startsWith("The body is not valid JSON");
        assertOnlyRecordIsTheNextValidWebhook();
    }

    @Test
    void shouldAnswer400ProblemForEmptyBodyAndWriteNothing() {
        HttpResponse<String> response = http.postJson("/webhooks/demo", "");

        assertProblem(response, 400, "urn:jobpipe:problem:empty-body", "/webhooks/demo");
        assertOnlyRecordIsTheNextValidWebhook();
    }

    @Test
    void shouldAnswer413ProblemForBodyOverTheLimitAndWriteNothing() {
        HttpResponse<String> response = http.postJson("/webhooks/demo", jsonOfSize(MAX_BODY + 1));

        JsonNode problem = assertProblem(response, 413, "urn:jobpipe:problem:payload-too-large", "/webhooks/demo");
        assertThat(problem.get("detail").asText()).contains(String.valueOf(MAX_BODY));
        assertOnlyRecordIsTheNextValidWebhook();
    }

    @Test
    void shouldAcceptABodyOfExactlyTheLimit() {
        HttpResponse<String> response = http.postJson("/webhooks/demo", jsonOfSize(MAX_BODY));

        assertThat(response.statusCode()).isEqualTo(202);
    }

    @ParameterizedTest(name = "{0} {1} as {2} -> {3}")
    @CsvSource({
            "GET, /no/such/route, application/json, 404, urn:jobpipe:problem:not-found",
            "GET, /webhooks/demo, application/json, 405, urn:jobpipe:problem:method-not-allowed",
            "POST, /webhooks/demo, application/xml, 415, urn:jobpipe:problem:unsupported-media-type",
            "POST, /webhooks/demo, application/octet-stream, 415, urn:jobpipe:problem:unsupported-media-type"})
    void shouldAnswerFrameworkErrorsAsProblemJson(String method, String path, String contentType, int status,
                                                  String type) {
        HttpResponse<String> response = method.equals("GET")
                ? http.get(path)
                : http.post(path, contentType, "{\"a\":1}", Map.of());

        assertProblem(response, status, type, path);
    }

    @Test
    void shouldHideTheCauseOfAnUnhandledErrorBehindA500Problem() {
        HttpResponse<String> response = http.get("/test-only/fail");

        JsonNode problem = assertProblem(response, 500, "urn:jobpipe:problem:internal-error", "/test-only/fail");
        assertThat(response.body()).doesNotContain("hunter2").doesNotContain(FailingTestController.class.getName());
        assertThat(problem.get("detail").asText()).contains("requestId");
    }

    @Test
    void shouldReplaceARequestIdThatCouldForgeLogLines() {
        HttpResponse<String> response = http.post("/webhooks/nobody", "application/json", "{}",
                Map.of("X-Request-Id", "forged level=ERROR msg=\"admin login\""));

        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(requestId).startsWith("req_");
        assertThat(WebhookHttp.json(response).get("requestId").asText()).isEqualTo(requestId);
    }

    @Test
    void shouldWriteOneAccessLogLinePerRequestWithItsIds() {
        Logger accessLogger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
        Logger intakeLogger = (Logger) LoggerFactory.getLogger(WebhookIntake.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        ListAppender<ILoggingEvent> intake = new ListAppender<>();
        appender.start();
        intake.start();
        accessLogger.addAppender(appender);
        intakeLogger.addAppender(intake);
        try {
            HttpResponse<String> accepted = http.post("/webhooks/demo", "application/json", "{\"n\":1}",
                    Map.of("X-Request-Id", "log-test-1"));
            HttpResponse<String> refused = http.post("/webhooks/nobody", "application/json", "{\"n\":1}",
                    Map.of("X-Request-Id", "log-test-2"));
            String jobId = WebhookHttp.json(accepted).get("jobId").asText();

            await().atMost(Duration.ofSeconds(5)).until(() -> appender.list.size() >= 2);
            ILoggingEvent first = lineFor(appender, "log-test-1");
            assertThat(first.getFormattedMessage()).contains("method=POST", "path=/webhooks/demo", "status=202")
                    .containsPattern("durationMs=\\d+");
            assertThat(first.getMDCPropertyMap()).containsEntry("jobId", jobId)
                    .containsEntry("traceId", accepted.headers().firstValue("X-Trace-Id").orElseThrow());
            ILoggingEvent second = lineFor(appender, "log-test-2");
            assertThat(second.getFormattedMessage()).contains("path=/webhooks/nobody", "status=" + refused.statusCode());
            assertThat(second.getMDCPropertyMap()).doesNotContainKey("jobId");
            assertThat(lineFor(intake, "log-test-1").getMDCPropertyMap()).containsEntry("jobId", jobId)
                    .containsKey("traceId");
        } finally {
            accessLogger.detachAppender(appender);
            intakeLogger.detachAppender(intake);
        }
    }

    @Test
    void shouldReportKafkaUpAndTheLastAcknowledgedSendOnHealth() {
        assertThat(http.postJson("/webhooks/demo", "{\"health\":1}").statusCode()).isEqualTo(202);

        HttpResponse<String> response = http.get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode kafka = WebhookHttp.json(response).at("/details/kafka");
        assertThat(kafka.get("status").asText()).isEqualTo("UP");
        assertThat(kafka.at("/details/topic").asText()).isEqualTo(topics.jobsRequested.name());
        assertThat(kafka.at("/details/lastSend/acknowledged").asBoolean()).isTrue();
    }

    private static ILoggingEvent lineFor(ListAppender<ILoggingEvent> appender, String requestId) {
        return appender.list.stream().filter(e -> requestId.equals(e.getMDCPropertyMap().get("requestId")))
                .reduce((a, b) -> {
                    throw new AssertionError("more than one access log line for " + requestId);
                }).orElseThrow(() -> new AssertionError("no access log line for " + requestId));
    }

    private JsonNode assertProblem(HttpResponse<String> response, int status, String type, String instance) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                contentType -> assertThat(contentType).startsWith("application/problem+json"));
        JsonNode problem = WebhookHttp.json(response);
        assertThat(problem.get("type").asText()).isEqualTo(type);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("instance").asText()).isEqualTo(instance);
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(problem.get("requestId").asText()).isEqualTo(requestId);
        return problem;
    }

    /** Nothing reached Kafka: a valid webhook sent afterwards is the only record since the test began. */
    private void assertOnlyRecordIsTheNextValidWebhook() {
        HttpResponse<String> marker = http.postJson("/webhooks/demo", "{\"marker\":true}");
        assertThat(marker.statusCode()).isEqualTo(202);
        String jobId = WebhookHttp.json(marker).get("jobId").asText();

        assertThat(tail.readThrough(jobId)).extracting(ConsumerRecord::key).containsExactly(jobId);
    }

    private static String jsonOfSize(int bytes) {
        String prefix = "{\"pad\":\"";
        String suffix = "\"}";
        String json = prefix + "x".repeat(bytes - prefix.length() - suffix.length()) + suffix;
        assertThat(json.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
        return json;
    }
}
