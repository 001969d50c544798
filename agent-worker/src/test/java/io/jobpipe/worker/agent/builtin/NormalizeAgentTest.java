package io.jobpipe.worker.agent.builtin;

import io.jobpipe.worker.agent.StageCall;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.agent.AgentOutcome;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jobpipe.worker.agent.TestRequests.json;
import static io.jobpipe.worker.agent.TestRequests.payload;
import static io.jobpipe.worker.agent.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

class NormalizeAgentTest {
    private final NormalizeAgent agent = new NormalizeAgent();

    private CanonicalEvent normalize(String connection, String eventType, JsonNode payload) {
        AgentOutcome outcome = agent.run(StageCall.of(request("normalize", connection, eventType, payload)));
        assertThat(outcome).isInstanceOf(AgentOutcome.Success.class);
        JsonNode output = ((AgentOutcome.Success) outcome).output();
        assertThat(CanonicalEvent.isCanonical(output)).isTrue();
        return CanonicalEvent.fromJson(output);
    }

    @Test
    void shouldMapAGitHubPullRequestWithEventTypeAndAction() {
        CanonicalEvent event = normalize("github", "pull_request", payload("github-pull-request"));

        assertThat(event).isEqualTo(new CanonicalEvent("github", "pull_request.opened",
                "#42 Fix critical login timeout", "octocat",
                List.of("https://github.com/acme/webapp/pull/42", "https://github.com/acme/webapp"),
                "2026-03-01T10:15:30Z"));
    }

    @Test
    void shouldInferTheGitHubEventWhenIngestOnlyKnewWebhook() {
        CanonicalEvent event = normalize("gh", "webhook", payload("github-push"));

        assertThat(event.source()).isEqualTo("github");
        assertThat(event.type()).isEqualTo("push");
        assertThat(event.subject()).isEqualTo("main (2 commits): Update README");
        assertThat(event.actor()).isEqualTo("hubot");
        assertThat(event.links()).containsExactly("https://github.com/acme/webapp/compare/a1b2c3...d4e5f6",
                "https://github.com/acme/webapp/commit/d4e5f6", "https://github.com/acme/webapp");
        assertThat(event.occurredAt()).isEqualTo("2026-03-01T10:00:00Z");
    }

    @Test
    void shouldMapASlackEventsApiCallback() {
        CanonicalEvent event = normalize("slack", "webhook", payload("slack-event"));

        assertThat(event.source()).isEqualTo("slack");
        assertThat(event.type()).isEqualTo("slack.app_mention");
        assertThat(event.actor()).isEqualTo("U123ABC");
        assertThat(event.subject()).isEqualTo("@U0LAN0Z89 the deploy is down, see incident 7");
        assertThat(event.links()).containsExactly("https://status.acme.dev/incidents/7");
        assertThat(event.occurredAt()).isEqualTo("2026-03-01T10:00:00Z");
    }

    @Test
    void shouldMapASlackSlashCommand() {
        CanonicalEvent event = normalize("slack", "webhook", payload("slack-command"));

        assertThat(event).isEqualTo(new CanonicalEvent("slack", "slack.command", "/deploy webapp to production",
                "steve", List.of(), null));
    }

    /** As ingest hands a slash command on: its form fields as JSON strings, Slack's escapes and markup kept. */
    @Test
    void shouldMapASlashCommandAsIngestPassesItWithSlacksMarkupMadeReadable() {
        CanonicalEvent event = normalize("slack", "slash_command", json("""
                {"team_id":"T0433ABCDEF","channel_id":"C0LAN2Q65","user_id":"U061F7AUR","user_name":"ada",
                 "command":"/link","text":"4F2K &amp; <@U0LAN0Z89|bob> <https://acme.dev/a?b=1&amp;c=2|docs>",
                 "response_url":"https://hooks.slack.com/commands/T0433ABCDEF/1/2","trigger_id":"1.2.3"}"""));

        assertThat(event).isEqualTo(new CanonicalEvent("slack", "slack.command", "/link 4F2K & @bob docs", "ada",
                List.of("https://acme.dev/a?b=1&c=2"), null));
    }

    @Test
    void shouldMapAStripeEventWithAmountAndDashboardLink() {
        CanonicalEvent event = normalize("stripe", "webhook", payload("stripe-invoice-failed"));

        assertThat(event).isEqualTo(new CanonicalEvent("stripe", "invoice.payment_failed",
                "invoice in_1NG8Dt2eZvKYlo2C (20.00 USD): Pro plan", "jenny@example.com",
                List.of("https://dashboard.stripe.com/test/events/evt_1NG8Du2eZvKYlo2CUI79vXWy"),
                "2026-03-01T10:00:00Z"));
    }

    @Test
    void shouldMapAnyOtherPayloadFromCommonFieldNames() {
        CanonicalEvent event = normalize("shop", "webhook", payload("generic"));

        assertThat(event).isEqualTo(new CanonicalEvent("shop", "order.created", "Order 1001 created", "Ada",
                List.of("https://shop.example.com/orders/1001"), "2026-03-01T09:00:00Z"));
    }

    @Test
    void shouldFallBackToTheIngestEventTypeAndOmitOccurredAtWhenUnknown() {
        CanonicalEvent event = normalize("shop", "cart.updated", json("{\"message\":\"hello\\nworld\"}"));

        assertThat(event.type()).isEqualTo("cart.updated");
        assertThat(event.subject()).isEqualTo("hello");
        assertThat(event.toJson().has("occurredAt")).isFalse();
    }
}
