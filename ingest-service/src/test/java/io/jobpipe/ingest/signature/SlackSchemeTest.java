package io.jobpipe.ingest.signature;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.jobpipe.ingest.signature.TestHeaders.at;
import static io.jobpipe.ingest.signature.TestHeaders.of;
import static io.jobpipe.ingest.signature.TestHeaders.text;
import static io.jobpipe.ingest.signature.TestHeaders.utf8;
import static org.assertj.core.api.Assertions.assertThat;

class SlackSchemeTest {
    // api.slack.com/authentication/verifying-requests-from-slack: the worked example (a slash command).
    private static final String DOC_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static final long DOC_TIMESTAMP = 1531420618;
    private static final byte[] DOC_BODY = utf8("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
            + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
            + "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J"
            + "%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");
    private static final String DOC_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private static final String FORM = "application/x-www-form-urlencoded";

    private static SlackScheme scheme(long now, String... secrets) {
        return new SlackScheme(Secrets.utf8(List.of(secrets)), Duration.ofMinutes(5), at(now));
    }

    private static Map<String, String> headers(String signature, long timestamp, String contentType) {
        return Map.of("X-Slack-Signature", signature, "X-Slack-Request-Timestamp", String.valueOf(timestamp),
                "Content-Type", contentType);
    }

    private static String sign(String secret, long timestamp, byte[] body) {
        return "v0=" + HexFormat.of().formatHex(Hmac.sha256(utf8(secret), utf8("v0:" + timestamp + ":"), body));
    }

    @Test
    void shouldVerifySlacksDocumentedSlashCommandAndAnswerItEphemerally() throws Exception {
        Verdict verdict = scheme(DOC_TIMESTAMP + 60, DOC_SECRET)
                .verify(of(headers(DOC_SIGNATURE, DOC_TIMESTAMP, FORM)), DOC_BODY);

        assertThat(verdict).isInstanceOf(Verdict.Authentic.class);
        Verdict.Authentic command = (Verdict.Authentic) verdict;
        assertThat(command.eventType()).isEqualTo(SlackScheme.SLASH_COMMAND);
        assertThat(command.deliveryId()).isEqualTo("398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");
        JsonNode payload = Json.MAPPER.readTree(command.document());
        assertThat(payload.get("command").asText()).isEqualTo("/webhook-collect");
        assertThat(payload.has("token")).as("the deprecated verification token is not stored").isFalse();
        Verdict.Answer answer = command.reply().answer("job_1", "http://status/jobs/job_1");
        assertThat(answer.status()).isEqualTo(200);
        JsonNode message = Json.MAPPER.readTree(answer.body());
        assertThat(message.get("response_type").asText()).isEqualTo("ephemeral");
        assertThat(message.get("text").asText()).contains("job_1");
    }

    @Test
    void shouldRefuseATimestampOutsideFiveMinutesEitherWay() {
        assertThat(scheme(DOC_TIMESTAMP + 301, DOC_SECRET).verify(of(headers(DOC_SIGNATURE, DOC_TIMESTAMP, FORM)), DOC_BODY))
                .isInstanceOfSatisfying(Verdict.Refused.class, r -> assertThat(r.reason()).contains("stale"));
        assertThat(scheme(DOC_TIMESTAMP - 301, DOC_SECRET).verify(of(headers(DOC_SIGNATURE, DOC_TIMESTAMP, FORM)), DOC_BODY))
                .isInstanceOf(Verdict.Refused.class);
        assertThat(scheme(DOC_TIMESTAMP + 300, DOC_SECRET).verify(of(headers(DOC_SIGNATURE, DOC_TIMESTAMP, FORM)), DOC_BODY))
                .isInstanceOf(Verdict.Authentic.class);
    }

    @Test
    void shouldRefuseTamperedMissingAndMovedTimestamps() {
        SlackScheme slack = scheme(DOC_TIMESTAMP, DOC_SECRET);
        byte[] tampered = text(DOC_BODY).replace("roadrunner", "coyote").getBytes(StandardCharsets.UTF_8);

        assertThat(slack.verify(of(headers(DOC_SIGNATURE, DOC_TIMESTAMP, FORM)), tampered)).isInstanceOf(Verdict.Refused.class);
        assertThat(slack.verify(of(headers(DOC_SIGNATURE, DOC_TIMESTAMP + 1, FORM)), DOC_BODY))
                .as("the timestamp is signed too").isInstanceOf(Verdict.Refused.class);
        assertThat(slack.verify(of(Map.of("X-Slack-Request-Timestamp", String.valueOf(DOC_TIMESTAMP))), DOC_BODY))
                .isEqualTo(new Verdict.Refused("The X-Slack-Signature header is missing."));
        assertThat(slack.verify(of(Map.of("X-Slack-Signature", DOC_SIGNATURE)), DOC_BODY))
                .isEqualTo(new Verdict.Refused("The X-Slack-Request-Timestamp header is missing."));
    }

    @Test
    void shouldVerifyWithEitherSecretDuringRotation() {
        assertThat(scheme(DOC_TIMESTAMP, "next-secret", DOC_SECRET).verify(of(headers(DOC_SIGNATURE, DOC_TIMESTAMP, FORM)),
                DOC_BODY)).isInstanceOf(Verdict.Authentic.class);
    }

    @Test
    void shouldAnswerUrlVerificationWithItsChallengeAndStartNoJob() throws Exception {
        long now = 1_700_000_000L;
        byte[] body = utf8("{\"token\":\"Jhj5dZrVaK7ZwHHjRyZWjbDl\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\",\"type\":\"url_verification\"}");

        Verdict verdict = scheme(now, "dev-slack-secret")
                .verify(of(headers(sign("dev-slack-secret", now, body), now, "application/json")), body);

        assertThat(verdict).isInstanceOf(Verdict.Answer.class);
        Verdict.Answer answer = (Verdict.Answer) verdict;
        assertThat(answer.status()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(answer.body()).get("challenge").asText())
                .isEqualTo("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
    }

    @Test
    void shouldGiveARetriedEventTheSameDeliveryIdSoItStartsNoSecondJob() {
        long now = 1_700_000_000L;
        byte[] body = utf8("{\"type\":\"event_callback\",\"event_id\":\"Ev08MFMKH6\",\"event\":{\"type\":\"app_mention\",\"text\":\"hi\"}}");
        SlackScheme slack = scheme(now + 120, "dev-slack-secret");

        Verdict first = slack.verify(of(headers(sign("dev-slack-secret", now, body), now, "application/json")), body);
        Map<String, String> retry = new java.util.HashMap<>(headers(sign("dev-slack-secret", now + 60, body), now + 60,
                "application/json"));
        retry.put("X-Slack-Retry-Num", "1");
        retry.put("X-Slack-Retry-Reason", "http_timeout");
        Verdict second = slack.verify(of(retry), body);

        assertThat(first).isInstanceOfSatisfying(Verdict.Authentic.class, a -> {
            assertThat(a.deliveryId()).isEqualTo("Ev08MFMKH6");
            assertThat(a.eventType()).isEqualTo("app_mention");
        });
        assertThat(((Verdict.Authentic) second).deliveryId()).isEqualTo("Ev08MFMKH6");
    }

    @Test
    void shouldTakeAnInteractionFromItsPayloadField() throws Exception {
        long now = 1_700_000_000L;
        String json = "{\"type\":\"block_actions\",\"trigger_id\":\"13345224609.738474920.8088930838d88f008e0\",\"actions\":[]}";
        byte[] body = utf8("payload=" + URLEncoder.encode(json, StandardCharsets.UTF_8));

        Verdict verdict = scheme(now, "dev-slack-secret").verify(of(headers(sign("dev-slack-secret", now, body), now, FORM)), body);

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Authentic.class, a -> {
            assertThat(a.eventType()).isEqualTo("block_actions");
            assertThat(a.deliveryId()).isEqualTo("13345224609.738474920.8088930838d88f008e0");
            assertThat(text(a.document())).isEqualTo(json);
            assertThat(a.reply()).isNull();
        });
    }
}
