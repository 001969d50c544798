package io.jobpipe.status.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.Json;
import io.jobpipe.status.SseClient;
import io.jobpipe.status.StatusTestApp;
import io.jobpipe.status.TestEvents;
import io.jobpipe.status.store.JobEventProjector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.jobpipe.status.TestEvents.incoming;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Past a cap on open event streams the next one is refused at once, with a status and a Retry-After the client can
 * act on (429 for one client's cap, 503 for the instance's), never a stream that hangs; a stream that ends gives its
 * place back.
 */
class SseStreamCapsTest {
    private static final Instant T0 = Instant.parse("2025-03-01T08:00:00Z");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static StatusTestApp perClient;
    private static StatusTestApp perInstance;

    @BeforeAll
    static void start() {
        // Its tests' requests come from 127.0.0.1, a trusted proxy here: without X-Forwarded-For they count for it.
        perClient = StatusTestApp.withoutKafka("caps_client", Map.of("jobpipe.status.live.max-streams", "10",
                "jobpipe.status.live.max-streams-per-client", "2", "jobpipe.status.trusted-proxies", "127.0.0.1"));
        perInstance = StatusTestApp.withoutKafka("caps_instance", Map.of("jobpipe.status.live.max-streams", "1",
                "jobpipe.status.live.max-streams-per-client", "0"));
    }

    @AfterAll
    static void stop() {
        perClient.close();
        perInstance.close();
    }

    @Test
    void shouldAnswer429WithRetryAfterToAClientPastItsCapAndOpenItsNextStreamOnceOneEnded() throws Exception {
        String jobId = runningJob(perClient);
        URI events = perClient.uri("/jobs/" + jobId + "/events");

        try (SseClient first = SseClient.open(events, Map.of()); SseClient second = SseClient.open(events, Map.of())) {
            assertThat(first.status()).isEqualTo(200);
            assertThat(second.status()).isEqualTo(200);

            HttpResponse<String> refused = get(events);

            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            JsonNode problem = Json.MAPPER.readTree(refused.body());
            assertThat(problem.path("type").asText()).isEqualTo("urn:jobpipe:problem:too-many-streams");
            assertThat(problem.path("maxStreamsPerClient").asInt()).isEqualTo(2);
            assertThat(first.ended()).isFalse();

            second.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> perClient.bean(JobEventStreams.class).quota().open() == 1);
            try (SseClient third = SseClient.open(events, Map.of())) {
                assertThat(third.status()).isEqualTo(200);
            }
        }
    }

    @Test
    void shouldCountEachClientBehindATrustedProxyOnItsOwn() throws Exception {
        String jobId = runningJob(perClient);
        URI events = perClient.uri("/jobs/" + jobId + "/events");
        Map<String, String> alice = Map.of("X-Forwarded-For", "203.0.113.7");
        Map<String, String> bob = Map.of("X-Forwarded-For", "198.51.100.9");

        try (SseClient a1 = SseClient.open(events, alice); SseClient a2 = SseClient.open(events, alice);
             SseClient b1 = SseClient.open(events, bob)) {
            assertThat(List.of(a1.status(), a2.status(), b1.status())).as("two of alice's, one of bob's")
                    .containsOnly(200);

            assertThat(HTTP.send(HttpRequest.newBuilder(events).header("Accept", "text/event-stream")
                    .header("X-Forwarded-For", "203.0.113.7").timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("alice's third").isEqualTo(429);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> perClient.bean(JobEventStreams.class).quota().open() == 0);
    }

    @Test
    void shouldGiveBackThePlaceOfAStreamWhoseBodyWasNeverSubscribed() {
        // As when the client leaves between the controller's answer and its first write.
        JobEventStreams streams = perClient.bean(JobEventStreams.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.quota().open() == 0);
        StreamQuota.Lease place = streams.quota().tryOpen("198.51.100.20").granted().orElseThrow();

        reactor.core.publisher.Flux<byte[]> neverSubscribed = streams.stream(runningJob(perClient), 0, place);

        assertThat(streams.quota().open()).isEqualTo(1);
        await().atMost(JobEventStreams.UNCLAIMED_PLACE_TIMEOUT.plusSeconds(5))
                .until(() -> streams.quota().open() == 0);
        assertThat(neverSubscribed.collectList().block(Duration.ofSeconds(5))).as("subscribed too late: ends at once")
                .isEmpty();
    }

    @Test
    void shouldAnswer503WithRetryAfterOnceTheInstanceHoldsItsCapAndNotCountAFinishedJobsEmptyStream() throws Exception {
        String jobId = runningJob(perInstance);
        URI events = perInstance.uri("/jobs/" + jobId + "/events");

        try (SseClient held = SseClient.open(events, Map.of())) {
            assertThat(held.status()).isEqualTo(200);

            HttpResponse<String> refused = get(events);

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(Json.MAPPER.readTree(refused.body()).path("type").asText())
                    .isEqualTo("urn:jobpipe:problem:streams-full");
            String finished = newJobId();
            perInstance.bean(JobEventProjector.class).project(incoming(TestEvents.successfulRun(finished, T0)));
            try (SseClient done = SseClient.open(perInstance.uri("/jobs/" + finished + "/events"),
                    Map.of("Last-Event-ID", "10"))) {
                assertThat(done.status()).as("nothing left to send takes no place").isEqualTo(200);
            }
        }
    }

    /** A job with its first events projected, whose stream stays open. */
    private static String runningJob(StatusTestApp app) {
        String jobId = newJobId();
        List<JobEvent> run = TestEvents.successfulRun(jobId, T0);
        app.bean(JobEventProjector.class).project(incoming(run.subList(0, 4)));
        return jobId;
    }

    private static HttpResponse<String> get(URI events) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(events).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String newJobId() {
        return "job_caps" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
