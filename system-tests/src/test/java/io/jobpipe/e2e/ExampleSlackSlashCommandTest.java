package io.jobpipe.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.runtime.client.WebhookSigning;
import io.jobpipe.testing.PrometheusText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 004, {@code examples/slack-slash-command}: a Slack slash command is answered within Slack's 3 s by whichever
 * of two ingest replicas it reaches (the incident: the second replica answered 404, its state warm only on the
 * first), and each command is worked off by the example's pipeline, which posts its reply to the command's
 * {@code response_url} (a fake Slack on loopback); the same command delivered again to the other replica is the
 * same job, and starts none.
 */
class ExampleSlackSlashCommandTest {
    /** Slack shows "app did not respond" to the user when the answer takes longer. */
    private static final Duration SLACK_ACK_LIMIT = Duration.ofSeconds(3);
    private static final List<String> STAGES = List.of("validate", "normalize", "decide", "act", "record");
    private static final WebhookSigning SLACK = WebhookSigning.of("slack", "dev-slack-secret");
    private static final Pattern JOB_ID = Pattern.compile("(job_[A-Za-z0-9_-]+)");

    private static FakeSlack slack;

    @RegisterExtension
    static final ExampleSystem example = ExampleSystem.of("slack-slash-command").ingestReplicas(2)
            .withFake(() -> slack = FakeSlack.start());

    @Test
    void shouldAcknowledgeEveryCommandWithinThreeSecondsOnEitherReplicaAndRunItThroughThePipeline() throws Exception {
        List<String> codes = IntStream.range(0, 6).mapToObj(i -> "CODE-" + i + "-" + shortId()).toList();
        List<SlashCommand> commands = codes.stream().map(SlashCommand::link).toList();
        List<Ack> acks = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            acks.add(send(i % 2, commands.get(i)));
        }

        System.out.println("[slack-slash-command] acknowledged in " + acks.stream()
                .map(ack -> "#" + ack.replica() + " " + ack.took().toMillis() + " ms").toList());
        for (int i = 0; i < acks.size(); i++) {
            Ack ack = acks.get(i);
            assertThat(ack.status()).as("command %d on replica %d: %s", i, ack.replica(), ack.body()).isEqualTo(200);
            assertThat(ack.took()).as("command %d on replica %d", i, ack.replica()).isLessThan(SLACK_ACK_LIMIT);
            assertThat(ack.duplicate()).isFalse();
            JsonNode message = Json.MAPPER.readTree(ack.body());
            assertThat(message.path("response_type").asText()).isEqualTo("ephemeral");
            assertThat(message.path("text").asText()).startsWith("Accepted as job " + ack.jobId());
        }
        assertThat(acks).extracting(Ack::replica).containsOnly(0, 1);
        for (int i = 0; i < acks.size(); i++) {
            assertRanThroughThePipeline(acks.get(i).jobId(), codes.get(i), commands.get(i).responseUrl());
        }
    }

    @Test
    void shouldAnswerTheSameCommandDeliveredAgainToTheOtherReplicaWithTheSameJobAndStartNoSecond() throws Exception {
        SlashCommand command = SlashCommand.link("AGAIN-" + shortId());
        double duplicatesBefore = duplicatesSeenBy(1);

        Ack first = send(0, command);
        // Re-signed with a fresh timestamp, as any resend is; the body (and so its trigger_id) is the same.
        Ack again = send(1, command);

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.took()).isLessThan(SLACK_ACK_LIMIT);
        assertThat(again.jobId()).isEqualTo(first.jobId());
        assertThat(first.duplicate()).isFalse();
        assertThat(again.duplicate()).isTrue();
        assertThat(duplicatesSeenBy(1)).isEqualTo(duplicatesBefore + 1);
        example.http().awaitState(first.jobId(), "COMPLETED", Duration.ofSeconds(60));
        List<String> history = SseClient.readUntilClosed(example.http().client(),
                        example.options().statusUrl() + "/jobs/" + first.jobId() + "/events", null, Duration.ofSeconds(30))
                .stream().map(SseClient.SseEvent::event).toList();
        List<String> once = new ArrayList<>(List.of("JobAccepted"));
        STAGES.forEach(stage -> once.addAll(List.of("StageDispatched", "StageCompleted")));
        once.add("JobCompleted");
        assertThat(history).containsExactlyElementsOf(once);
        assertThat(slack.repliesTo(command.responseUrl())).as("one job, one reply").hasSize(1);
    }

    @Test
    void shouldFailACommandWithoutItsResponseUrlAtValidateNamingTheField() throws Exception {
        Map<String, String> fields = new LinkedHashMap<>(SlashCommand.link("NOURL-" + shortId()).fields());
        fields.remove("response_url");

        Ack ack = send(1, new SlashCommand(fields));

        assertThat(ack.status()).as(ack.body()).isEqualTo(200);
        JsonNode failed = example.http().awaitState(ack.jobId(), "FAILED", Duration.ofSeconds(60));
        JsonNode validate = failed.path("stages").get(0);
        assertThat(validate.path("name").asText()).isEqualTo("validate");
        assertThat(validate.path("status").asText()).isEqualTo("FAILED");
        assertThat(validate.path("attempts").asInt()).as("an invalid payload is not retried").isEqualTo(1);
        assertThat(failed.toString()).contains("ValidationFailed", "payload is missing required field response_url");
    }

    /**
     * COMPLETED through the example's five stages; the claim file holds the command's code, team, channel, user; the
     * reply reached the command's response_url, and the job's outputs name only Slack's origin, not that URL.
     */
    private static void assertRanThroughThePipeline(String jobId, String code, String responseUrl) throws Exception {
        JsonNode job = example.http().awaitState(jobId, "COMPLETED", Duration.ofSeconds(60));
        assertThat(job.path("pipeline").asText()).isEqualTo("slash-command");
        assertThat(job.path("connection").asText()).isEqualTo("slack");
        assertThat(job.path("eventType").asText()).isEqualTo("slash_command");
        assertThat(job.path("stages").findValuesAsText("name")).containsExactlyElementsOf(STAGES);
        assertThat(job.path("stages")).allSatisfy(stage -> assertThat(stage.path("status").asText()).isEqualTo("SUCCEEDED"));
        JsonNode event = stage(job, "normalize").path("output");
        assertThat(event.path("source").asText()).isEqualTo("slack");
        assertThat(event.path("type").asText()).isEqualTo("slack.command");
        assertThat(event.path("subject").asText()).isEqualTo("/link " + code);
        assertThat(event.path("actor").asText()).isEqualTo("ada");
        assertThat(stage(job, "decide").path("output").path("matchedRules").toString()).isEqualTo("[\"claim-link-code\"]");
        assertThat(stage(job, "act").path("output").path("files").findValuesAsText("path"))
                .containsExactlyInAnyOrder("jobs/" + jobId + "/claims/" + code + ".json", "jobs/" + jobId + "/reply.md");

        Path jobFolder = example.workspace().resolve("jobs").resolve(jobId);
        JsonNode claim = Json.MAPPER.readTree(jobFolder.resolve("claims").resolve(code + ".json").toFile());
        assertThat(claim.path("code").asText()).isEqualTo(code);
        assertThat(claim.path("team").asText()).isEqualTo("T0433ABCDEF");
        assertThat(claim.path("channel").asText()).isEqualTo("C0LAN2Q65");
        assertThat(claim.path("user").asText()).isEqualTo("U061F7AUR");
        assertThat(claim.path("job").asText()).isEqualTo(jobId);
        assertThat(Files.readString(jobFolder.resolve("reply.md"))).contains("Linked: code " + code);

        List<FakeSlack.Reply> replies = slack.repliesTo(responseUrl);
        assertThat(replies).as("replies to %s", responseUrl).hasSize(1);
        JsonNode reply = Json.MAPPER.readTree(replies.get(0).body());
        assertThat(reply.path("response_type").asText()).isEqualTo("ephemeral");
        assertThat(reply.path("text").asText()).isEqualTo("Linked: code " + code + " now belongs to <#C0LAN2Q65>.");
        assertThat(replies.get(0).contentType()).isEqualTo("application/json");
        assertThat(replies.get(0).idempotencyKey()).isEqualTo(jobId + ":act:2");
        JsonNode act = stage(job, "act").path("output");
        assertThat(act.path("posts").get(0).path("target").asText()).isEqualTo(slack.origin());
        assertThat(act.toString()).doesNotContain(URI.create(responseUrl).getPath());
    }

    private static JsonNode stage(JsonNode job, String name) {
        for (JsonNode stage : job.path("stages")) {
            if (stage.path("name").asText().equals(name)) {
                return stage;
            }
        }
        throw new AssertionError("no stage " + name + " in " + job);
    }

    /** Posts {@code command} to ingest replica {@code replica}, signed as Slack signs, and times the answer. */
    private static Ack send(int replica, SlashCommand command) throws Exception {
        byte[] body = command.formBody().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(example.ingestUrl(replica) + "/webhooks/slack"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(15));
        SLACK.headers(body, null, null, System.currentTimeMillis() / 1000).forEach(request::header);
        long started = System.nanoTime();
        HttpResponse<String> response = example.http().client().send(request.build(), HttpResponse.BodyHandlers.ofString());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        Matcher jobId = JOB_ID.matcher(response.body());
        return new Ack(replica, response.statusCode(), took, response.body(), jobId.find() ? jobId.group(1) : null,
                response.headers().firstValue("Jobpipe-Duplicate").map("true"::equals).orElse(false));
    }

    /** {@code jobpipe_ingest_deliveries_total{outcome="duplicate"}} of ingest replica {@code replica}. */
    private static double duplicatesSeenBy(int replica) throws Exception {
        HttpResponse<String> metrics = example.http().client().send(HttpRequest.newBuilder(
                        URI.create(example.ingestUrl(replica) + "/metrics")).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        return PrometheusText.parse(metrics.body()).sum("jobpipe_ingest_deliveries_total", Map.of("outcome", "duplicate"));
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private record Ack(int replica, int status, Duration took, String body, String jobId, boolean duplicate) {
    }

    /** A slash command's form fields as Slack posts them (docs.slack.dev, "Implementing slash commands"). */
    private record SlashCommand(Map<String, String> fields) {
        static SlashCommand link(String code) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("token", "gIkuvaNzQIHg97ATvDxqgjtO");
            fields.put("team_id", "T0433ABCDEF");
            fields.put("team_domain", "acme");
            fields.put("channel_id", "C0LAN2Q65");
            fields.put("channel_name", "ops");
            fields.put("user_id", "U061F7AUR");
            fields.put("user_name", "ada");
            fields.put("command", "/link");
            fields.put("text", code);
            fields.put("api_app_id", "A07QWERTYUI");
            fields.put("is_enterprise_install", "false");
            fields.put("response_url", slack.responseUrl(shortId()));
            fields.put("trigger_id", System.currentTimeMillis() + "." + 738474920 + "." + UUID.randomUUID().toString().replace("-", ""));
            return new SlashCommand(fields);
        }

        String responseUrl() {
            return fields.get("response_url");
        }

        String formBody() {
            StringBuilder body = new StringBuilder();
            fields.forEach((name, value) -> body.append(body.isEmpty() ? "" : "&")
                    .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
            return body.toString();
        }
    }
}
