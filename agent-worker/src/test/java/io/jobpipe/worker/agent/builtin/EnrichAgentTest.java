package io.jobpipe.worker.agent.builtin;

import io.jobpipe.worker.agent.StageCall;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.agent.AgentOutcome;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static io.jobpipe.worker.agent.TestRequests.json;
import static io.jobpipe.worker.agent.TestRequests.payload;
import static io.jobpipe.worker.agent.TestRequests.request;
import static io.jobpipe.worker.agent.TestRequests.settings;
import static org.assertj.core.api.Assertions.assertThat;

class EnrichAgentTest {
    private final EnrichAgent agent = new EnrichAgent();

    private JsonNode enrich(String connection, String eventType, JsonNode payload) {
        AgentOutcome outcome = agent.run(StageCall.of(request("enrich", connection, eventType, payload)));
        return ((AgentOutcome.Success) outcome).output();
    }

    @Test
    void shouldHashAndMeasureThePayload() throws Exception {
        JsonNode payload = json("{\"a\":1,\"b\":{\"c\":[{\"d\":true}]}}");
        byte[] bytes = "{\"a\":1,\"b\":{\"c\":[{\"d\":true}]}}".getBytes(StandardCharsets.UTF_8);

        JsonNode output = enrich("shop", "webhook", payload);

        assertThat(output.path("payloadSha256").asText())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        assertThat(output.path("sizeBytes").asInt()).isEqualTo(bytes.length);
        assertThat(output.path("fieldCount").asInt()).isEqualTo(4);
        assertThat(output.path("maxDepth").asInt()).isEqualTo(4);
    }

    @Test
    void shouldMakeAnUrgentLabelledPullRequestHighPriorityWithKeywords() {
        JsonNode output = enrich("github", "pull_request", payload("github-pull-request"));

        assertThat(output.path("priority").asText()).isEqualTo("high");
        assertThat(output.path("priorityReasons")).extracting(JsonNode::asText)
                .contains("label 'urgent'", "text mentions 'critical'");
        assertThat(output.path("labels")).extracting(JsonNode::asText).containsExactly("bug", "urgent");
        assertThat(output.path("keywords")).extracting(JsonNode::asText)
                .containsExactly("login", "fix", "critical", "timeout", "page", "times", "load", "fixes", "session",
                        "pool");
        assertThat(output.path("type").asText()).isEqualTo("pull_request.opened");
    }

    @Test
    void shouldRateAFailedPaymentHighAndAPingLow() {
        assertThat(enrich("stripe", "webhook", payload("stripe-invoice-failed")).path("priority").asText())
                .isEqualTo("high");
        assertThat(enrich("github", "ping", json("{\"zen\":\"Keep it simple.\",\"hook_id\":1}")).path("priority").asText())
                .isEqualTo("low");
    }

    @Test
    void shouldRateOrdinaryEventsNormalAndMatchWholeWordsOnly() {
        JsonNode output = enrich("shop", "webhook", json("{\"title\":\"Uncritical update to docs\"}"));

        assertThat(output.path("priority").asText()).isEqualTo("normal");
        assertThat(output.path("keywords")).extracting(JsonNode::asText).containsExactly("uncritical", "update", "docs");
    }

    @Test
    void shouldHonourExtraHighPriorityWordsFromSettings() {
        AgentOutcome outcome = agent.run(StageCall.of(request("enrich", "shop", "webhook", json("{\"title\":\"VIP order\"}"),
                Json.MAPPER.createObjectNode(), settings("{\"highPriorityWords\":[\"vip\"]}"))));

        assertThat(((AgentOutcome.Success) outcome).output().path("priority").asText()).isEqualTo("high");
    }

    @Test
    void shouldUseTheNormalizeStagesEventWhenThereIsOne() {
        ObjectNode outputs = Json.MAPPER.createObjectNode();
        outputs.set("normalize", new CanonicalEvent("custom", "custom.type", "Subject", null, List.of(), null).toJson());

        AgentOutcome outcome = agent.run(StageCall.of(request("enrich", "shop", "webhook", json("{}"), outputs, java.util.Map.of())));

        assertThat(((AgentOutcome.Success) outcome).output().path("type").asText()).isEqualTo("custom.type");
        assertThat(((AgentOutcome.Success) outcome).summary()).startsWith("normal priority, 2 bytes, 0 fields");
    }
}
