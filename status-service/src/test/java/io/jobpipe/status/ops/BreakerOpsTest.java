package io.jobpipe.status.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.breaker.BreakerState;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.kafka.PoisonHeaders;
import io.jobpipe.core.kafka.Topics;
import io.jobpipe.status.PoisonReader;
import io.jobpipe.status.TestEvents;
import io.jobpipe.testing.KafkaFixture;
import io.jobpipe.testing.PrometheusText;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.jobpipe.status.TestEvents.incoming;
import static io.jobpipe.status.ops.OpsClient.OPERATE_TOKEN;
import static io.jobpipe.status.ops.OpsClient.READ_TOKEN;
import static io.jobpipe.status.ops.OpsClient.json;
import static io.jobpipe.status.ops.OpsClient.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The breakers of the ops API on a real broker and PostgreSQL: who may see and switch them, and the board read back. */
class BreakerOpsTest {
    private static final Instant T0 = Instant.parse("2025-06-01T08:00:00Z");
    private static OpsRig rig;
    private static OpsClient ops;
    private static Topics topics;
    private static TopicReader<BreakerState> breakers;

    @BeforeAll
    static void start(TestInfo info) {
        rig = OpsRig.start(info, "breakers", Map.of());
        ops = rig.ops();
        topics = rig.topics();
        breakers = new TopicReader<>(topics.breakers);
    }

    @AfterAll
    static void stop() {
        breakers.close();
        rig.close();
    }

    private static JsonNode breaker(String pipeline, String stage) throws Exception {
        return json(ops.get("/ops/breakers/" + pipeline + "/" + stage, READ_TOKEN), 200);
    }

    @Test
    void shouldAnswer401WithoutATokenAnd403ToAReadTokenOnOpenAndClose() throws Exception {
        HttpResponse<String> anonymous = ops.get("/ops/breakers", null);

        assertThat(problem(anonymous, 401).get("type").asText()).isEqualTo("urn:jobpipe:problem:ops-unauthorized");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
        problem(ops.post("/ops/breakers/default/act/open", null, "{\"reason\":\"r\"}"), 401);
        assertThat(problem(ops.post("/ops/breakers/default/act/open", READ_TOKEN, "{\"reason\":\"r\"}"), 403)
                .get("type").asText()).isEqualTo("urn:jobpipe:problem:ops-forbidden");
        problem(ops.post("/ops/breakers/default/act/close", READ_TOKEN, "{\"reason\":\"r\"}"), 403);
        assertThat(breakers.valuesOf("default/act")).isEmpty();
    }

    @Test
    void shouldAnswer404ForABreakerOutsideTheCatalog() throws Exception {
        JsonNode show = problem(ops.get("/ops/breakers/default/no-such-stage", READ_TOKEN), 404);
        JsonNode open = problem(ops.post("/ops/breakers/nope/act/open", OPERATE_TOKEN, "{\"reason\":\"r\"}"), 404);

        assertThat(show.get("type").asText()).isEqualTo("urn:jobpipe:problem:breaker-not-found");
        assertThat(show.get("stage").asText()).isEqualTo("no-such-stage");
        assertThat(open.get("pipeline").asText()).isEqualTo("nope");
        // fails-on-demand has an act stage, default has no 'fail' one: the pair counts, not the names alone.
        problem(ops.post("/ops/breakers/default/fail/close", OPERATE_TOKEN, "{\"reason\":\"r\"}"), 404);
        assertThat(breakers.valuesOf("nope/act")).isEmpty();
    }

    @Test
    void shouldAnswer400WithoutAReason() throws Exception {
        String path = "/ops/breakers/default/decide/open";

        assertThat(problem(ops.post(path, OPERATE_TOKEN, "{}"), 400).get("field").asText()).isEqualTo("reason");
        assertThat(problem(ops.post(path, OPERATE_TOKEN, "{\"reason\":\" \"}"), 400).get("field").asText())
                .isEqualTo("reason");
        assertThat(problem(ops.post(path, OPERATE_TOKEN, ""), 400).get("field").asText()).isEqualTo("body");
        assertThat(problem(ops.post(path, OPERATE_TOKEN, "{\"reason\":\"r\",\"manual\":false}"), 400)
                .get("field").asText()).isEqualTo("manual");
        assertThat(breakers.valuesOf("default/decide")).isEmpty();
    }

    @Test
    void shouldListEveryStageOfEveryPipelineClosedWithItsPolicyAndHeldJobs() throws Exception {
        String jobId = "job-held-" + System.nanoTime();
        rig.projector().project(incoming(TestEvents.heldAtNormalize(jobId, T0).subList(0, 6)));

        JsonNode items = json(ops.get("/ops/breakers", READ_TOKEN), 200).get("items");

        assertThat(items.findValuesAsText("breaker")).containsExactly("default/validate", "default/normalize",
                "default/enrich", "default/decide", "default/act", "default/record", "default/notify",
                "fails-on-demand/validate", "fails-on-demand/act", "fails-on-demand/record");
        JsonNode normalize = items.get(1);
        assertThat(normalize).isEqualTo(Json.MAPPER.readTree("""
                {"breaker": "default/normalize", "pipeline": "default", "stage": "normalize", "state": "CLOSED",
                 "since": null, "reason": null, "changedBy": null, "manual": false, "heldJobs": 1,
                 "policy": {"enabled": true, "failureRate": 0.5, "window": 20, "minimumAttempts": 10,
                            "cooldown": "PT30S"},
                 "url": "/ops/breakers/default/normalize"}"""));
        assertThat(items.get(8).get("policy").get("enabled").asBoolean()).isFalse();
        assertThat(items.get(0).get("heldJobs").asLong()).isZero();
        assertThat(breaker("default", "normalize").get("heldJobs").asLong()).isEqualTo(1);
    }

    @Test
    void shouldWriteAnOperatorsOpenAndCloseToTheTopicAndShowThemOnceReadBack() throws Exception {
        HttpResponse<String> opened = ops.post("/ops/breakers/default/enrich/open", OPERATE_TOKEN,
                "{\"reason\":\"enrichment API down, incident 7\"}");

        JsonNode accepted = json(opened, 202);
        assertThat(opened.headers().firstValue("Location")).contains("/ops/breakers/default/enrich");
        assertThat(accepted.get("state").asText()).isEqualTo("OPEN");
        assertThat(accepted.get("manual").asBoolean()).isTrue();
        assertThat(accepted.get("changedBy").asText()).isEqualTo("alice");
        BreakerState written = await().atMost(Duration.ofSeconds(10))
                .until(() -> breakers.valuesOf("default/enrich"), list -> !list.isEmpty()).get(0);
        assertThat(written).isEqualTo(new BreakerState("default/enrich", "default", "enrich", BreakerState.Status.OPEN,
                Instant.parse(accepted.get("since").asText()), "enrichment API down, incident 7", "alice", true));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(breaker("default", "enrich").get("state").asText()).isEqualTo("OPEN"));
        JsonNode open = breaker("default", "enrich");
        assertThat(open.get("reason").asText()).isEqualTo("enrichment API down, incident 7");
        assertThat(open.get("changedBy").asText()).isEqualTo("alice");
        assertThat(open.get("manual").asBoolean()).isTrue();
        assertThat(open.get("since").asText()).isEqualTo(accepted.get("since").asText());

        JsonNode closed = json(ops.post("/ops/breakers/default/enrich/close", OPERATE_TOKEN,
                "{\"reason\":\"API back\"}"), 202);

        assertThat(closed.get("state").asText()).isEqualTo("CLOSED");
        assertThat(closed.get("manual").asBoolean()).isFalse();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(breaker("default", "enrich").get("state").asText()).isEqualTo("CLOSED"));
        assertThat(breaker("default", "enrich").get("reason").asText()).isEqualTo("API back");
        assertThat(breakers.valuesOf("default/enrich")).extracting(BreakerState::status)
                .containsExactly(BreakerState.Status.OPEN, BreakerState.Status.CLOSED);
        PrometheusText metrics = PrometheusText.parse(ops.get("/metrics", null).body());
        assertThat(metrics.value("jobpipe_ops_commands_total", Map.of("type", "OpenBreaker", "outcome", "sent")))
                .isEqualTo(1);
        assertThat(metrics.value("jobpipe_ops_commands_total", Map.of("type", "CloseBreaker", "outcome", "sent")))
                .isEqualTo(1);
    }

    @Test
    void shouldCopyAnUnreadableBreakerRecordToPoisonAndGoOnReading() throws Exception {
        BreakerState orchestrators = new BreakerState(null, "default", "record", BreakerState.Status.HALF_OPEN,
                T0, "probe out", BreakerState.ORCHESTRATOR, false);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.shared().bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.breakers.name(), "default/record",
                    "{ not json".getBytes(StandardCharsets.UTF_8)));
            // A state filed under another breaker's key is not that breaker's state either.
            producer.send(new ProducerRecord<>(topics.breakers.name(), "default/record",
                    Json.MAPPER.writeValueAsBytes(new BreakerState(null, "default", "notify",
                            BreakerState.Status.OPEN, T0, "wrong key", BreakerState.ORCHESTRATOR, false))));
            producer.send(new ProducerRecord<>(topics.breakers.name(), "default/record",
                    Json.MAPPER.writeValueAsBytes(orchestrators)));
            producer.flush();
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(breaker("default", "record").get("state").asText()).isEqualTo("HALF_OPEN"));
        assertThat(breaker("default", "record").get("changedBy").asText()).isEqualTo("orchestrator");
        assertThat(breaker("default", "notify").get("state").asText()).isEqualTo("CLOSED");
        try (PoisonReader poison = new PoisonReader(topics)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(poison.poll())
                    .extracting(r -> r.key() + " " + PoisonReader.header(r, PoisonHeaders.ORIGINAL_TOPIC))
                    .containsExactly("default/record " + topics.breakers.name(),
                            "default/record " + topics.breakers.name()));
        }
    }
}
