package io.jobpipe.worker.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentCall;
import io.jobpipe.agent.AgentException;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.core.event.Json;
import io.jobpipe.worker.agent.AgentRegistry;
import io.jobpipe.worker.agent.builtin.WebhookSigner;
import io.jobpipe.worker.outbound.Origin;
import io.jobpipe.worker.outbound.OutboundHttp;
import io.jobpipe.worker.outbound.OutboundRefused;
import io.jobpipe.worker.outbound.OutboundResponse;
import io.jobpipe.worker.outbound.OutboundTimeout;
import io.jobpipe.worker.outbound.OutboundTooLarge;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The agent of an {@code http:<url>} stage: POSTs the stage's input as JSON to the URL through the worker's guarded
 * {@link OutboundHttp}, signed as a Standard Webhook, with {@code Idempotency-Key: <jobId>:<stage>} and the agent
 * span's {@code traceparent}, and turns the answer into the outcome ({@link HttpAgentAnswers}). In {@code async}
 * mode the request also carries the attempt's callback URL (body {@code callbackUrl}, header
 * {@code Jobpipe-Callback-Url}), and a 202 leaves the attempt pending. A request ends at its {@code timeout}, by
 * default a tenth before the stage's deadline, or at once when the worker interrupts the attempt.
 */
public final class HttpAgent implements Agent {
    public static final String KIND = "http";
    public static final String CALLBACK_URL_HEADER = "Jobpipe-Callback-Url";
    public static final String TRACEPARENT_HEADER = "traceparent";
    public static final String INVALID_URL = "InvalidHttpAgentUrl";
    public static final String CALLBACK_UNAVAILABLE = "HttpAgentCallbackUnavailable";
    public static final String OUTBOUND_REFUSED = "OutboundRefused";
    public static final String TIMEOUT = "HttpAgentTimeout";
    public static final String UNREACHABLE = "HttpAgentUnreachable";
    public static final String TOO_LARGE = "HttpAgentResponseTooLarge";
    public static final String INTERRUPTED = "HttpAgentInterrupted";

    private final URI url;
    private final String origin;
    private final OutboundHttp http;
    private final Clock clock;
    private final UnaryOperator<String> environment;

    public HttpAgent(URI url, OutboundHttp http, Clock clock, UnaryOperator<String> environment) {
        this.url = url;
        this.origin = Origin.of(url);
        this.http = http;
        this.clock = clock;
        this.environment = environment;
    }

    /** The {@code http} kind: one agent per spec, its URL the spec's target. */
    public static AgentRegistry.Kind kind(OutboundHttp http, Clock clock, UnaryOperator<String> environment) {
        return spec -> {
            try {
                return new HttpAgent(new URI(spec.target()), http, clock, environment);
            } catch (URISyntaxException e) {
                return call -> AgentOutcome.failure(INVALID_URL, "the target of an http agent must be a URL, as in "
                        + "'http:https://agents.example.com/run'; stage " + call.stage() + " has one that is not", false);
            }
        };
    }

    @Override
    public AgentOutcome run(AgentCall call) {
        HttpAgentSettings settings = HttpAgentSettings.of(call.settings());
        Optional<URI> callbackUrl = settings.async() ? call.callbackUrl() : Optional.empty();
        if (settings.async() && callbackUrl.isEmpty()) {
            return AgentOutcome.failure(CALLBACK_UNAVAILABLE, "stage " + call.stage() + " calls " + origin
                    + " in async mode, but this worker has no callback URL to give it (set the worker's public base"
                    + " URL); nothing was sent", false);
        }
        String secret = WebhookSigner.secretOf(settings.signing(), "http agent " + origin, environment,
                HttpAgentSettings.INVALID_SETTINGS);
        Instant now = clock.instant();
        byte[] body = body(call, callbackUrl);
        Map<String, String> headers = headers(call, secret, now, body, callbackUrl);
        Duration timeout = timeout(settings, now, call.deadline());
        long started = System.nanoTime();
        OutboundResponse response;
        try {
            response = http.post(url, headers, body, timeout);
        } catch (OutboundRefused e) {
            return AgentOutcome.failure(OUTBOUND_REFUSED, e.getMessage(), false);
        } catch (OutboundTooLarge e) {
            return AgentOutcome.failure(TOO_LARGE, e.getMessage(), false);
        } catch (OutboundTimeout e) {
            return AgentOutcome.failure(TIMEOUT, e.getMessage(), true);
        } catch (IOException e) {
            return AgentOutcome.failure(UNREACHABLE, e.getMessage(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AgentOutcome.failure(INTERRUPTED, "the worker stopped waiting for " + origin
                    + " (the stage timeout passed, or the worker is shutting down)", true);
        }
        call.log("POST " + origin + " answered HTTP " + response.status() + " in "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        return HttpAgentAnswers.classify(origin, response, settings.async(), clock.instant());
    }

    /** The setting, never past a tenth before the deadline: the answer must still reach the worker in time. */
    static Duration timeout(HttpAgentSettings settings, Instant now, Instant deadline) {
        Duration left = Duration.between(now, deadline);
        Duration budget = left.minus(left.dividedBy(10));
        return settings.timeout().filter(t -> t.compareTo(budget) < 0).orElse(budget);
    }

    private static byte[] body(AgentCall call, Optional<URI> callbackUrl) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("jobId", call.jobId());
        body.put("pipeline", call.pipeline());
        body.put("stage", call.stage());
        body.put("attempt", call.attempt());
        body.put("idempotencyKey", call.idempotencyKey());
        body.put("deadline", call.deadline().toString());
        body.put("connection", call.connection());
        body.put("eventType", call.eventType());
        body.put("deliveryId", call.deliveryId());
        body.set("payload", call.payload());
        body.set("outputs", call.outputs());
        callbackUrl.ifPresent(callback -> body.put("callbackUrl", callback.toString()));
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw AgentException.permanent("InvalidInput", "cannot write the request body: " + e.getOriginalMessage());
        }
    }

    private static Map<String, String> headers(AgentCall call, String secret, Instant now, byte[] body,
                                               Optional<URI> callbackUrl) {
        Map<String, String> headers = WebhookSigner.signedJsonHeaders(secret, call.idempotencyKey(),
                now.getEpochSecond(), body, HttpAgentSettings.INVALID_SETTINGS);
        call.traceparent().ifPresent(traceparent -> headers.put(TRACEPARENT_HEADER, traceparent));
        callbackUrl.ifPresent(callback -> headers.put(CALLBACK_URL_HEADER, callback.toString()));
        return headers;
    }

    @Override
    public String toString() {
        return KIND + ":" + origin;
    }
}
