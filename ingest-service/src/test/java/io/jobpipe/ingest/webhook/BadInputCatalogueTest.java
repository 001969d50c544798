package io.jobpipe.ingest.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.ingest.limits.FrontDoorLimits;
import io.jobpipe.ingest.support.JobRequestedTail;
import io.jobpipe.ingest.support.RawHttp;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bad-input catalogue against a real broker: every case is answered with its 4xx as
 * {@code application/problem+json} carrying the request id, never a 5xx, and nothing reaches
 * {@code jobpipe.jobs.requested}; the in-flight budget is whole again afterwards, and a valid webhook still works.
 */
@MicronautTest(environments = "dev")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCatalogueTest implements TestPropertyProvider {
    private static final int MAX_BODY = 4096;
    private static final int SMALL_MAX_BODY = 100;

    private final Topics topics = Topics.of("ingest-catalogue-" + UUID.randomUUID().toString().substring(0, 8) + ".");

    @Inject
    EmbeddedServer server;
    @Inject
    FrontDoorLimits limits;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private WebhookHttp http;
    private JobRequestedTail tail;

    /** One bad request and the answer it must get. */
    record Case(String name, String method, String path, String contentType, byte[] body, Map<String, String> headers,
                int status, String type) {
        Case(String name, String contentType, String body, int status, String type) {
            this(name, "POST", "/webhooks/demo", contentType, body.getBytes(StandardCharsets.UTF_8), Map.of(), status,
                    type);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final String SECRET = "catalogue-secret";

    /** A correctly signed Slack request whose timestamp is ten minutes old. */
    private static Map<String, String> staleSlackHeaders(String body) {
        long tenMinutesAgo = System.currentTimeMillis() / 1000 - 600;
        return Map.of("X-Slack-Request-Timestamp", String.valueOf(tenMinutesAgo),
                "X-Slack-Signature", Sign.slack(SECRET, tenMinutesAgo, body));
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", KafkaFixture.shared().bootstrapServers(),
                "jobpipe.topics.namespace", topics.namespace(),
                "jobpipe.topics.partitions", "2",
                "micronaut.server.port", "-1",
                "jobpipe.ingest.max-body-bytes", String.valueOf(MAX_BODY),
                "jobpipe.ingest.connections.signed.scheme", "github",
                "jobpipe.ingest.connections.small.scheme", "none",
                "jobpipe.ingest.connections.small.max-body-bytes", String.valueOf(SMALL_MAX_BODY)));
        properties.put("jobpipe.ingest.connections.signed.secrets", SECRET);
        properties.put("jobpipe.ingest.connections.slacked.scheme", "slack");
        properties.put("jobpipe.ingest.connections.slacked.secrets", SECRET);
        properties.put("jobpipe.ingest.connections.forms.scheme", "none");
        properties.put("jobpipe.ingest.connections.forms.content-types", "application/x-www-form-urlencoded");
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

    static Stream<Case> catalogue() {
        String invalidJson = "urn:jobpipe:problem:invalid-json";
        List<Case> cases = new ArrayList<>(List.of(
                new Case("malformed JSON", "application/json", "{'a':1}", 400, invalidJson),
                new Case("truncated JSON", "application/json", "{\"a\":[1,2", 400, invalidJson),
                new Case("trailing garbage", "application/json", "{\"a\":1} {\"b\":2}", 400, invalidJson),
                new Case("empty body", "application/json", "", 400, "urn:jobpipe:problem:empty-body"),
                new Case("blank body", "application/json", " \r\n", 400, "urn:jobpipe:problem:empty-body"),
                new Case("lone surrogate escape", "application/json", "{\"a\":\"\\ud800\"}", 400, invalidJson),
                new Case("lone low surrogate in a key", "application/json", "{\"\\udc00x\":1}", 400, invalidJson),
                new Case("duplicate keys", "application/json", "{\"a\":1,\"b\":{\"c\":1,\"c\":2}}", 400, invalidJson),
                new Case("nesting 65 deep", "application/json", "[".repeat(65) + "]".repeat(65), 400, invalidJson),
                new Case("a 2000-digit number", "application/json", "{\"n\":" + "9".repeat(2000) + "}", 400,
                        invalidJson),
                new Case("a scalar, not an event", "application/json", "42", 400, invalidJson),
                new Case("text/plain on a JSON connection", "text/plain", "{\"a\":1}", 415,
                        "urn:jobpipe:problem:unsupported-media-type"),
                new Case("a form on a JSON connection", "application/x-www-form-urlencoded", "{\"a\":1}", 415,
                        "urn:jobpipe:problem:unsupported-media-type"),
                new Case("XML", "application/xml", "<a/>", 415, "urn:jobpipe:problem:unsupported-media-type"),
                new Case("no content type", null, "{\"a\":1}", 415, "urn:jobpipe:problem:unsupported-media-type"),
                new Case("JSON on a form connection", "POST", "/webhooks/forms", "application/json",
                        bytes("{\"a\":1}"), Map.of(), 415, "urn:jobpipe:problem:unsupported-media-type"),
                new Case("body over the server's limit", "POST", "/webhooks/demo", "application/json",
                        bytes(jsonOfSize(MAX_BODY + 1)), Map.of(), 413, "urn:jobpipe:problem:payload-too-large"),
                new Case("body over the connection's limit", "POST", "/webhooks/small", "application/json",
                        bytes(jsonOfSize(SMALL_MAX_BODY + 1)), Map.of(), 413, "urn:jobpipe:problem:payload-too-large"),
                new Case("GET", "GET", "/webhooks/demo", null, new byte[0], Map.of(), 405,
                        "urn:jobpipe:problem:method-not-allowed"),
                new Case("PUT", "PUT", "/webhooks/demo", "application/json", bytes("{}"), Map.of(), 405,
                        "urn:jobpipe:problem:method-not-allowed"),
                new Case("DELETE", "DELETE", "/webhooks/demo", null, new byte[0], Map.of(), 405,
                        "urn:jobpipe:problem:method-not-allowed"),
                new Case("missing signature", "POST", "/webhooks/signed", "application/json", bytes("{\"a\":1}"),
                        Map.of(), 401, "urn:jobpipe:problem:signature-rejected"),
                new Case("invalid signature", "POST", "/webhooks/signed", "application/json", bytes("{\"a\":1}"),
                        Map.of("X-Hub-Signature-256", Sign.github("not-the-secret", "{\"a\":1}")), 401,
                        "urn:jobpipe:problem:signature-rejected"),
                new Case("stale timestamp", "POST", "/webhooks/slacked", "application/json", bytes("{\"a\":1}"),
                        staleSlackHeaders("{\"a\":1}"), 401, "urn:jobpipe:problem:signature-rejected"),
                new Case("unknown connection", "POST", "/webhooks/nobody", "application/json", bytes("{\"a\":1}"),
                        Map.of(), 404, "urn:jobpipe:problem:unknown-connection"),
                new Case("delivery id too long", "POST", "/webhooks/demo", "application/json", bytes("{\"a\":1}"),
                        Map.of("X-GitHub-Delivery", "d".repeat(201)), 400,
                        "urn:jobpipe:problem:invalid-delivery-field"),
                new Case("delivery id with spaces", "POST", "/webhooks/demo", "application/json", bytes("{\"a\":1}"),
                        Map.of("Idempotency-Key", "a b"), 400, "urn:jobpipe:problem:invalid-delivery-field"),
                new Case("event type with a quote", "POST", "/webhooks/demo", "application/json", bytes("{\"a\":1}"),
                        Map.of("X-GitHub-Event", "push\"; DROP"), 400, "urn:jobpipe:problem:invalid-delivery-field"),
                new Case("event type too long", "POST", "/webhooks/demo", "application/json", bytes("{\"a\":1}"),
                        Map.of("X-Event-Type", "e".repeat(101)), 400, "urn:jobpipe:problem:invalid-delivery-field"),
                new Case("oversized headers", "POST", "/webhooks/demo", "application/json", bytes("{\"a\":1}"),
                        Map.of("X-Padding", "p".repeat(16 * 1024)), 431, "urn:jobpipe:problem:headers-too-large")));
        cases.add(new Case("invalid UTF-8", "POST", "/webhooks/demo", "application/json",
                jsonString((byte) 0xC3, (byte) 0x28), Map.of(), 400, invalidJson));
        cases.add(new Case("overlong UTF-8", "POST", "/webhooks/demo", "application/json",
                jsonString((byte) 0xC0, (byte) 0xAF), Map.of(), 400, invalidJson));
        cases.add(new Case("UTF-8 encoded surrogate", "POST", "/webhooks/demo", "application/json",
                jsonString((byte) 0xED, (byte) 0xA0, (byte) 0x80), Map.of(), 400, invalidJson));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void shouldRefuseEachBadInputWithItsProblemAndWriteNothing(Case badInput) throws Exception {
        assertRefused(badInput, send(badInput));

        assertOnlyRecordIsTheNextValidWebhook();
    }

    @Test
    void shouldRefuseTheWholeCatalogueThenAcceptAValidWebhookWithTheBudgetWhole() throws Exception {
        for (Case badInput : catalogue().toList()) {
            assertRefused(badInput, send(badInput));
        }
        RawHttp.Response chunked = chunkedUntilRefused("/webhooks/demo", MAX_BODY * 64);
        assertThat(chunked.status()).isEqualTo(413);

        assertOnlyRecordIsTheNextValidWebhook();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(limits.budget().requestsInFlight()).isZero();
            assertThat(limits.budget().bytesInFlight()).isZero();
        });
    }

    @Test
    void shouldAcceptNestingOfExactlyTheLimitAndASignedWebhook() {
        assertThat(http.postJson("/webhooks/demo", "[".repeat(64) + "]".repeat(64)).statusCode()).isEqualTo(202);
        assertThat(http.post("/webhooks/signed", "application/json", "{\"a\":1}",
                Map.of("X-Hub-Signature-256", Sign.github(SECRET, "{\"a\":1}"), "X-GitHub-Event", "push",
                        "X-GitHub-Delivery", "catalogue-signed-1")).statusCode()).isEqualTo(202);
        assertThat(http.post("/webhooks/demo", "application/json; charset=UTF-8", "{\"a\":\"\\ud83d\\ude00\"}",
                Map.of("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958", "X-GitHub-Event",
                        "pull_request_review")).statusCode()).isEqualTo(202);
        assertThat(http.post("/webhooks/forms", "application/x-www-form-urlencoded", "{\"a\":1}", Map.of())
                .statusCode()).isEqualTo(202);
    }

    @Test
    void shouldAnswer413ToADeclaredLengthOverTheLimitBeforeTheBodyArrives() throws Exception {
        try (RawHttp raw = new RawHttp(server.getURI())) {
            raw.head("POST", "/webhooks/small", Map.of("Content-Type", "application/json",
                    "Content-Length", String.valueOf(50L * 1024 * 1024)));

            RawHttp.Response response = raw.read();

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.body()).contains("\"requestId\"").contains("100 bytes");
        }
    }

    @Test
    void shouldAnswer413ToAChunkedBodyOnceItPassesTheServersLimitWithoutReadingTheRest() throws Exception {
        RawHttp.Response response = chunkedUntilRefused("/webhooks/demo", MAX_BODY * 256);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.body()).contains("\"requestId\"");
    }

    @Test
    void shouldAnswer413ToAChunkedBodyOverTheConnectionsLimit() throws Exception {
        try (RawHttp raw = new RawHttp(server.getURI())) {
            raw.head("POST", "/webhooks/small", Map.of("Content-Type", "application/json",
                    "Transfer-Encoding", "chunked"));
            raw.chunk(bytes(jsonOfSize(SMALL_MAX_BODY + 50))).chunk(new byte[0]);

            RawHttp.Response response = raw.read();

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.body()).contains("100 bytes");
        }
        assertOnlyRecordIsTheNextValidWebhook();
    }

    /**
     * Streams a chunked body of up to {@code totalBytes} and reads the answer, which must come before the body
     * ends: the server refuses once the body passes its limit instead of reading all of it.
     */
    private RawHttp.Response chunkedUntilRefused(String path, int totalBytes) throws IOException {
        try (RawHttp raw = new RawHttp(server.getURI())) {
            raw.head("POST", path, Map.of("Content-Type", "application/json", "Transfer-Encoding", "chunked"));
            byte[] chunk = bytes("[" + "1,".repeat(511) + "1]");
            int sent = 0;
            try {
                raw.chunk(bytes("{\"a\":"));
                while (sent < totalBytes && !raw.answered()) {
                    raw.chunk(chunk);
                    sent += chunk.length;
                    Thread.sleep(1);
                }
            } catch (IOException closedByServer) {
                // the server stopped reading: what it answered is still readable
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(sent).as("the answer came before the whole body was sent").isLessThan(totalBytes);
            return raw.read();
        }
    }

    private HttpResponse<String> send(Case badInput) throws Exception {
        if (badInput.status() == 431) {
            return sendRaw(badInput);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(server.getURI().resolve(badInput.path()))
                .version(HttpClient.Version.HTTP_1_1)
                .timeout(Duration.ofSeconds(30))
                .method(badInput.method(), badInput.body().length == 0 && !badInput.method().equals("POST")
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(badInput.body()));
        if (badInput.contentType() != null) {
            request.header("Content-Type", badInput.contentType());
        }
        badInput.headers().forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The JDK client refuses to send headers this large, so they go over a socket; the answer is adapted. */
    private HttpResponse<String> sendRaw(Case badInput) throws IOException {
        Map<String, String> headers = new HashMap<>(badInput.headers());
        headers.put("Content-Type", badInput.contentType());
        headers.put("Content-Length", String.valueOf(badInput.body().length));
        try (RawHttp raw = new RawHttp(server.getURI())) {
            raw.head(badInput.method(), badInput.path(), headers).write(badInput.body());
            return new RawResponse(raw.read(), server.getURI().resolve(badInput.path()));
        }
    }

    private void assertRefused(Case badInput, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(badInput.name() + ": " + response.body()).isEqualTo(badInput.status());
        assertThat(response.headers().firstValue("Content-Type")).as(badInput.name()).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = WebhookHttp.json(response);
        assertThat(problem.get("type").asText()).as(badInput.name()).isEqualTo(badInput.type());
        assertThat(problem.get("status").asInt()).isEqualTo(badInput.status());
        assertThat(problem.get("requestId").asText()).as(badInput.name()).startsWith("req_");
        assertThat(response.headers().firstValue("X-Request-Id")).as(badInput.name())
                .contains(problem.get("requestId").asText());
    }

    /** Nothing reached Kafka: a valid webhook sent afterwards is the only record since the test began. */
    private void assertOnlyRecordIsTheNextValidWebhook() {
        HttpResponse<String> marker = http.postJson("/webhooks/demo", "{\"marker\":true}");
        assertThat(marker.statusCode()).isEqualTo(202);
        String jobId = WebhookHttp.json(marker).get("jobId").asText();

        assertThat(tail.readThrough(jobId)).extracting(ConsumerRecord::key).containsExactly(jobId);
    }

    /** {@code {"a":"<raw>"}} with {@code raw} as bytes, however invalid. */
    private static byte[] jsonString(byte... raw) {
        byte[] prefix = bytes("{\"a\":\"");
        byte[] json = java.util.Arrays.copyOf(prefix, prefix.length + raw.length + 2);
        System.arraycopy(raw, 0, json, prefix.length, raw.length);
        json[json.length - 2] = '"';
        json[json.length - 1] = '}';
        return json;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String jsonOfSize(int size) {
        String prefix = "{\"pad\":\"";
        String suffix = "\"}";
        return prefix + "x".repeat(size - prefix.length() - suffix.length()) + suffix;
    }

    /** A socket answer seen through {@link HttpResponse}, so every case is asserted the same way. */
    private record RawResponse(RawHttp.Response raw, URI uri) implements HttpResponse<String> {
        @Override
        public int statusCode() {
            return raw.status();
        }

        @Override
        public HttpRequest request() {
            return HttpRequest.newBuilder(uri).build();
        }

        @Override
        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            Map<String, List<String>> map = new HashMap<>();
            raw.headers().forEach((name, value) -> map.put(name, List.of(value)));
            return java.net.http.HttpHeaders.of(map, (name, value) -> true);
        }

        @Override
        public String body() {
            return raw.body();
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return java.util.Optional.empty();
        }

        @Override
        public URI uri() {
            return uri;
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
