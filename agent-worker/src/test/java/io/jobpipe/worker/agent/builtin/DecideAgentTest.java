package io.jobpipe.worker.agent.builtin;

import io.jobpipe.worker.agent.StageCall;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.agent.AgentOutcome;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.jobpipe.worker.agent.TestRequests.JOB_ID;
import static io.jobpipe.worker.agent.TestRequests.json;
import static io.jobpipe.worker.agent.TestRequests.payload;
import static io.jobpipe.worker.agent.TestRequests.request;
import static io.jobpipe.worker.agent.TestRequests.settings;
import static org.assertj.core.api.Assertions.assertThat;

class DecideAgentTest {
    private final DecideAgent agent = new DecideAgent();

    private JsonNode decide(String connection, String eventType, JsonNode payload, Map<String, Object> settings) {
        AgentOutcome outcome = agent.run(StageCall.of(request("decide", connection, eventType, payload,
                Json.MAPPER.createObjectNode(), settings)));
        assertThat(outcome).isInstanceOf(AgentOutcome.Success.class);
        return ((AgentOutcome.Success) outcome).output();
    }

    @Test
    void shouldPlanSummaryEscalationAndPullRequestNotesForAnUrgentPullRequest() {
        JsonNode output = decide("github", "pull_request", payload("github-pull-request"), Map.of());

        assertThat(output.path("ruleSet").asText()).isEqualTo("default");
        assertThat(output.path("matchedRules")).extracting(JsonNode::asText)
                .containsExactly("summarize-event", "escalate-high-priority", "track-pull-requests");
        JsonNode actions = output.path("plan").path("actions");
        assertThat(actions).extracting(a -> a.path("type").asText() + " " + a.path("path").asText(""))
                .containsExactly("write-file summary.md", "write-file alerts/high-priority.json", "notify ",
                        "write-file github/pull-request.md");
        assertThat(actions.get(0).path("content").asText())
                .contains("# pull_request.opened", "- actor: octocat", "- priority: high",
                        "- links: https://github.com/acme/webapp/pull/42, https://github.com/acme/webapp");
        assertThat(actions.get(1).path("json").path("event").path("subject").asText())
                .isEqualTo("#42 Fix critical login timeout");
        assertThat(actions.get(2).path("message").asText())
                .isEqualTo("High priority pull_request.opened: #42 Fix critical login timeout");
        assertThat(actions.get(2).path("rule").asText()).isEqualTo("escalate-high-priority");
    }

    @Test
    void shouldOnlySummarizeAnOrdinaryEvent() {
        JsonNode output = decide("shop", "webhook", payload("generic"), Map.of());

        assertThat(output.path("matchedRules")).extracting(JsonNode::asText).containsExactly("summarize-event");
        assertThat(output.path("plan").path("actions")).hasSize(1);
    }

    @Test
    void shouldArchiveStripeEventsUnderAFileNameMadeFromTheEventType() {
        JsonNode output = decide("stripe", "webhook", payload("stripe-invoice-failed"), Map.of());

        JsonNode archive = output.path("plan").path("actions").get(output.path("plan").path("actions").size() - 1);
        assertThat(archive.path("path").asText()).isEqualTo("payments/invoice.payment_failed.json");
        assertThat(archive.path("json").path("id").asText()).isEqualTo("evt_1NG8Du2eZvKYlo2CUI79vXWy");
    }

    @Test
    void shouldEvaluateCelRulesFromSettingsAndStop() {
        // The conditions of the former {path: {operator: value}} form, written in CEL: in, case-insensitive contains,
        // list membership, exists, matches.
        Map<String, Object> settings = settings("""
                {"rules": [
                  {"name": "wrong-source", "when": "event.source in ['stripe', 'slack']",
                   "actions": [{"type": "notify", "message": "never"}]},
                  {"name": "mentions-login",
                   "when": "event.subject.lowerAscii().contains('login') && enrichment.labels.exists(l, l.lowerAscii() == 'bug') && event.actor != null && event.type.matches(r'^pull_request\\\\.(opened|reopened)$')",
                   "actions": [{"type": "write-file", "path": "by/${event.actor}/${jobId}.txt", "content": "${event.type} for ${connection}"}],
                   "stop": true},
                  {"name": "after-stop", "actions": [{"type": "notify", "message": "never"}]}
                ]}""");

        JsonNode output = decide("github", "pull_request", payload("github-pull-request"), settings);

        assertThat(output.path("ruleSet").asText()).isEqualTo("settings");
        assertThat(output.path("matchedRules")).extracting(JsonNode::asText).containsExactly("mentions-login");
        JsonNode action = output.path("plan").path("actions").get(0);
        assertThat(action.path("path").asText()).isEqualTo("by/octocat/" + JOB_ID + ".txt");
        assertThat(action.path("content").asText()).isEqualTo("pull_request.opened for github");
    }

    @Test
    void shouldMatchTheIssuesExampleOnTheEventAndItsEnrichment() {
        Map<String, Object> settings = settings("""
                {"rules": [{"name": "urgent-github",
                  "when": "event.source == 'github' && enrichment.priority in ['high', 'urgent'] && payload.pull_request.number == 42 && !has(outputs.enrich) && stage == 'decide'",
                  "actions": [{"type": "notify", "message": "${event.subject}"}]}]}""");

        JsonNode output = decide("github", "pull_request", payload("github-pull-request"), settings);

        assertThat(output.path("matchedRules")).extracting(JsonNode::asText).containsExactly("urgent-github");
    }

    @Test
    void shouldKeepEventDataFromSteeringAFilePath() {
        Map<String, Object> settings = settings("""
                {"rules": [{"name": "by-subject", "actions": [{"type": "write-file", "path": "x/${event.subject}.txt", "content": "x"}]}]}""");

        JsonNode output = decide("shop", "webhook", json("{\"title\":\"../../etc/passwd\"}"), settings);

        assertThat(output.path("plan").path("actions").get(0).path("path").asText()).isEqualTo("x/____etc_passwd.txt");
    }

    @Test
    void shouldFailNonRetryablyOnARuleThatDoesNotCompileNamingItAndWhere() {
        AgentOutcome.Failure failure = fail(settings(
                "{\"rules\":[{\"name\":\"bad\",\"when\":\"event.type.startsWith('x') &&\",\"actions\":[{\"type\":\"notify\"}]}]}"));

        assertThat(failure.errorType()).isEqualTo("InvalidRules");
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.message()).contains("settings: rule 'bad'", "does not compile", "line 1, column");
    }

    @Test
    void shouldFailNonRetryablyOnTheFormerMapFormOfWhen() {
        AgentOutcome.Failure failure = fail(settings(
                "{\"rules\":[{\"name\":\"old\",\"when\":{\"event.source\":\"github\"},\"actions\":[{\"type\":\"notify\"}]}]}"));

        assertThat(failure.errorType()).isEqualTo("InvalidRules");
        assertThat(failure.message()).contains("rule 'old'", "CEL expression", "write it in CEL");
    }

    @Test
    void shouldFailNonRetryablyWhenAConditionCannotBeEvaluatedOnThisJob() {
        AgentOutcome.Failure failure = fail(settings(
                "{\"rules\":[{\"name\":\"needs-title\",\"when\":\"payload.title == 'x'\",\"actions\":[{\"type\":\"notify\"}]}]}"));

        assertThat(failure.errorType()).isEqualTo("RuleEvaluationFailed");
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.message()).contains("rule 'needs-title'", "title", "has(");
    }

    @Test
    void shouldFailNonRetryablyWhenAConditionYieldsNoBool() {
        AgentOutcome.Failure failure = fail(settings(
                "{\"rules\":[{\"name\":\"not-a-test\",\"when\":\"payload.a\",\"actions\":[{\"type\":\"notify\"}]}]}"));

        assertThat(failure.errorType()).isEqualTo("RuleEvaluationFailed");
        assertThat(failure.message()).contains("rule 'not-a-test'", "a number (1)", "not true or false");
    }

    private AgentOutcome.Failure fail(Map<String, Object> settings) {
        AgentOutcome outcome = agent.run(StageCall.of(request("decide", "shop", "webhook", json("{\"a\":1}"),
                Json.MAPPER.createObjectNode(), settings)));
        assertThat(outcome).isInstanceOf(AgentOutcome.Failure.class);
        return (AgentOutcome.Failure) outcome;
    }

    @Test
    void shouldPlanTheSameActionsEveryTime() {
        JsonNode first = decide("github", "pull_request", payload("github-pull-request"), Map.of());
        JsonNode second = decide("github", "pull_request", payload("github-pull-request"), Map.of());

        assertThat(second).isEqualTo(first);
    }
}
