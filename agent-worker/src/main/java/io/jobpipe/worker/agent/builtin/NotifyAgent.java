package io.jobpipe.worker.agent.builtin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.agent.AgentCall;
import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentException;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.worker.agent.StageInput;
import io.jobpipe.worker.outbound.Origin;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Delivers one signed webhook (Standard Webhooks) about the finished job to each subscriber in the stage
 * setting {@code subscribers: [{url, secret | secretEnv}]}. The message id and {@code Idempotency-Key}
 * ({@code <jobId>:<stage>}) are the same on every attempt, so receivers can drop repeats. A non-2xx answer
 * or a connection error fails the attempt retryably; a malformed subscriber fails it for good.
 */
public final class NotifyAgent implements Agent {
    public static final String EVENT_TYPE = "jobpipe.job.processed";
    public static final String DELIVERY_FAILED = "WebhookDeliveryFailed";
    public static final String INVALID_SUBSCRIBER = "InvalidSubscriber";
    public static final String IDEMPOTENCY_KEY_HEADER = WebhookSigner.IDEMPOTENCY_KEY_HEADER;

    private final WebhookTransport transport;
    private final Clock clock;
    private final UnaryOperator<String> environment;

    public NotifyAgent(WebhookTransport transport, Clock clock, UnaryOperator<String> environment) {
        this.transport = transport;
        this.clock = clock;
        this.environment = environment;
    }

    record Subscriber(URI url, String secret) {
    }

    @Override
    public AgentOutcome run(AgentCall call) {
        StageInput input = StageInput.of(call);
        List<Subscriber> subscribers = subscribers(input.setting("subscribers"));
        ObjectNode output = Json.MAPPER.createObjectNode();
        if (subscribers.isEmpty()) {
            output.put("delivered", 0);
            output.put("reason", "no subscribers configured");
            return AgentOutcome.success(output, "no subscribers configured; nothing delivered");
        }
        String messageId = WebhookSigner.messageId(input.idempotencyKey());
        Instant now = clock.instant();
        byte[] body = body(input, now);
        ArrayNode deliveries = output.putArray("subscribers");
        for (Subscriber subscriber : subscribers) {
            int status = deliver(subscriber, now.getEpochSecond(), body, input.idempotencyKey());
            // The origin only: a subscriber's path or query may be a secret (a Slack hook), and outputs travel in records.
            deliveries.addObject().put("target", Origin.of(subscriber.url())).put("status", status);
        }
        output.put("delivered", subscribers.size());
        output.put("webhookId", messageId);
        output.put("bodyBytes", body.length);
        return AgentOutcome.success(output, "webhook " + messageId + " delivered to " + subscribers.size()
                + " subscriber" + (subscribers.size() == 1 ? "" : "s"));
    }

    private int deliver(Subscriber subscriber, long timestamp, byte[] body, String idempotencyKey) {
        Map<String, String> headers = WebhookSigner.signedJsonHeaders(subscriber.secret(), idempotencyKey, timestamp,
                body, INVALID_SUBSCRIBER);
        int status;
        try {
            status = transport.post(subscriber.url(), headers, body);
        } catch (IOException e) {
            throw AgentException.transientFailure(DELIVERY_FAILED, "webhook to " + Origin.of(subscriber.url())
                    + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        if (status < 200 || status > 299) {
            throw new AgentException(DELIVERY_FAILED, "webhook to " + Origin.of(subscriber.url()) + " answered HTTP "
                    + status, true);
        }
        return status;
    }

    private List<Subscriber> subscribers(JsonNode node) {
        List<Subscriber> subscribers = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return subscribers;
        }
        if (!node.isArray()) {
            throw AgentException.permanent(INVALID_SUBSCRIBER, "'subscribers' must be a list of {url, secret}");
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            URI uri = OutboundUrls.parse(item.path("url").asText(""), "subscribers[" + i + "].url", INVALID_SUBSCRIBER);
            String secret = WebhookSigner.secretOf(item, "subscribers[" + i + "] (" + Origin.of(uri) + ")",
                    environment, INVALID_SUBSCRIBER);
            subscribers.add(new Subscriber(uri, secret));
        }
        return subscribers;
    }

    /** Standard Webhooks' recommended body: {@code {type, timestamp, data}}. */
    private static byte[] body(StageInput input, Instant now) {
        CanonicalEvent event = EventNormalizer.canonicalEventOf(input);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("type", EVENT_TYPE);
        body.put("timestamp", now.toString());
        ObjectNode data = body.putObject("data");
        data.put("jobId", input.jobId());
        data.put("pipeline", input.pipeline());
        data.put("connection", input.connection());
        data.put("eventType", input.eventType());
        data.put("deliveryId", input.deliveryId());
        data.set("event", event.toJson());
        data.put("priority", Enricher.enrichmentOf(input, event).path("priority").asText());
        ArrayNode notifications = data.putArray("notifications");
        input.findOutput("decide", DecideAgent::isPlan).ifPresent(decision -> {
            for (JsonNode action : decision.path("plan").path("actions")) {
                if ("notify".equals(action.path("type").asText())) {
                    notifications.add(action);
                }
            }
        });
        ArrayNode artifacts = data.putArray("artifacts");
        for (Iterator<JsonNode> it = input.outputs().elements(); it.hasNext(); ) {
            JsonNode output = it.next();
            output.path("files").forEach(file -> {
                if (file.path("path").isTextual()) {
                    artifacts.add(file.path("path").asText());
                }
            });
        }
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw AgentException.permanent("InvalidOutput", "cannot write the webhook body: " + e.getMessage());
        }
    }
}
