package io.jobpipe.ingest.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.ingest.request.HeaderLookup;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Scheme {@code slack}: {@code X-Slack-Signature: v0=<hex HMAC-SHA256(secret, "v0:" + X-Slack-Request-Timestamp
 * + ":" + raw body)>}, refused outside a window (5 minutes) around the timestamp.
 * <ul>
 * <li>Events API (JSON): {@code url_verification} is answered with its challenge, no job; otherwise the delivery id
 * is {@code event_id}, which Slack keeps on its retries ({@code X-Slack-Retry-Num}), so deduplication by
 * delivery id makes a retry return the first job; the event type is {@code event.type}.</li>
 * <li>Slash commands (form fields): the delivery id is {@code trigger_id}, event type {@code slash_command}; the
 * job payload is the fields as a JSON object without the deprecated verification {@code token}; once the job
 * request is in Kafka the answer is 200 with an ephemeral message, well within Slack's 3 s.</li>
 * <li>Interactivity (form {@code payload=<json>}): delivery id {@code trigger_id}, event type the payload's
 * {@code type}.</li>
 * </ul>
 * Where Slack gives no id, the delivery id is {@code sha256:<hex of the body>}: identical bytes, same delivery.
 */
public final class SlackScheme implements SignatureScheme {
    public static final String ID = "slack";
    public static final String SIGNATURE = "X-Slack-Signature";
    public static final String TIMESTAMP = "X-Slack-Request-Timestamp";
    public static final String SLASH_COMMAND = "slash_command";
    private static final String PREFIX = "v0=";

    private final List<byte[]> secrets;
    private final Duration tolerance;
    private final Clock clock;

    public SlackScheme(List<byte[]> secrets, Duration tolerance, Clock clock) {
        this.secrets = Secrets.required(secrets);
        this.tolerance = tolerance;
        this.clock = clock;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Verdict verify(HeaderLookup headers, byte[] body) {
        String signature = headers.get(SIGNATURE);
        String timestamp = headers.get(TIMESTAMP);
        if (signature == null || signature.isBlank()) {
            return new Verdict.Refused("The " + SIGNATURE + " header is missing.");
        }
        String stale = Timestamps.staleness(timestamp, clock, tolerance);
        if (stale != null) {
            return new Verdict.Refused("The " + TIMESTAMP + " header is " + stale + ".");
        }
        signature = signature.strip();
        byte[] given = signature.startsWith(PREFIX) ? Hmac.hexOrNull(signature.substring(PREFIX.length())) : null;
        if (given == null) {
            return new Verdict.Refused("The " + SIGNATURE + " header is not of the form v0=<hex>.");
        }
        if (!Hmac.anyMatches(secrets, List.of(given), Hmac.utf8("v0:" + timestamp.strip() + ":"), body)) {
            return new Verdict.Refused("The " + SIGNATURE + " signature does not match the body.");
        }
        return FormBody.isForm(headers) ? form(body) : event(body);
    }

    private static Verdict event(byte[] body) {
        JsonNode json = JsonFields.readOrNull(body);
        String type = JsonFields.text(json, "/type");
        if ("url_verification".equals(type)) {
            ObjectNode answer = Json.MAPPER.createObjectNode().put("challenge", JsonFields.text(json, "/challenge"));
            return Verdict.Answer.json(200, answer.toString());
        }
        String eventType = firstOf(JsonFields.text(json, "/event/type"), type, "event_callback");
        String delivery = firstOf(JsonFields.text(json, "/event_id"), bodyId(body));
        return new Verdict.Authentic(delivery, eventType, body, null);
    }

    private static Verdict form(byte[] body) {
        Map<String, String> fields = FormBody.parse(body);
        if (fields == null) {
            return new Verdict.Authentic(bodyId(body), "form", body, null);
        }
        if (fields.containsKey("payload")) {
            byte[] payload = Hmac.utf8(fields.get("payload"));
            JsonNode json = JsonFields.readOrNull(payload);
            return new Verdict.Authentic(firstOf(JsonFields.text(json, "/trigger_id"), bodyId(body)),
                    firstOf(JsonFields.text(json, "/type"), "interaction"), payload, null);
        }
        ObjectNode document = Json.MAPPER.createObjectNode();
        fields.forEach((name, value) -> {
            if (!name.equals("token")) {
                document.put(name, value);
            }
        });
        boolean command = fields.containsKey("command");
        return new Verdict.Authentic(firstOf(fields.get("trigger_id"), bodyId(body)),
                command ? SLASH_COMMAND : "form", Hmac.utf8(document.toString()),
                command ? SlackScheme::ephemeral : null);
    }

    /** Slack shows this to the command's user only; it must arrive within 3 s of the command. */
    static Verdict.Answer ephemeral(String jobId, String statusUrl) {
        ObjectNode message = Json.MAPPER.createObjectNode()
                .put("response_type", "ephemeral")
                .put("text", "Accepted as job " + jobId + ": " + statusUrl);
        return Verdict.Answer.json(200, message.toString());
    }

    private static String bodyId(byte[] body) {
        return "sha256:" + Hmac.sha256Hex(body);
    }

    private static String firstOf(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
