package io.jobpipe.ingest.callback;

import io.jobpipe.core.event.EventIds;
import io.jobpipe.core.event.StageResult;
import io.jobpipe.ingest.config.IngestProperties;
import io.jobpipe.ingest.http.IngestProblemType;
import io.jobpipe.ingest.kafka.CallbackResultPublisher;
import io.jobpipe.ingest.kafka.KafkaStartup;
import io.jobpipe.ingest.kafka.SendFailures;
import io.jobpipe.ingest.limits.FrontDoorLimits;
import io.jobpipe.ingest.webhook.JobLinks;
import io.jobpipe.support.callback.CallbackSecretProperties;
import io.jobpipe.support.callback.CallbackToken;
import io.jobpipe.support.callback.CallbackTokens;
import io.jobpipe.support.callback.CallbackVerification;
import io.jobpipe.support.logging.LogContext;
import io.micronaut.context.annotation.Context;
import io.opentelemetry.api.trace.Span;
import jakarta.inject.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Turns an asynchronous agent's callback into a {@link StageResult} on {@code jobpipe.stage.results}, with no state of
 * its own, so any replica takes any callback: the token (signed by the worker) says which job, stage and attempt it
 * is for and until when it is good; the body says what happened. Every refusal happens before anything is sent, and
 * "accepted" is reported only after Kafka acknowledged the record. Whether the attempt is still current is the
 * orchestrator's to decide: a result for an attempt that is over (timed out, retried, the job ended, or a second
 * post of the same callback) is recorded there as {@code LateResultIgnored} and changes nothing.
 *
 * <p>Built at start-up: with callbacks on, a missing or short secret stops ingest.
 */
@Context
public final class CallbackIntake {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackIntake.class);
    static final String INVALID_TOKEN_DETAIL = "This callback URL's token is not one this jobpipe issued (damaged,"
            + " forged, or signed with a secret no longer in use); nothing was recorded.";

    private final CallbackTokens tokens;
    private final Provider<CallbackResultPublisher> publisher;
    private final KafkaStartup kafka;
    private final FrontDoorLimits limits;
    private final IngestProperties settings;
    private final Clock clock = Clock.systemUTC();

    public CallbackIntake(IngestCallbackProperties callbacks, CallbackSecretProperties secrets,
                          Provider<CallbackResultPublisher> publisher, KafkaStartup kafka, FrontDoorLimits limits,
                          IngestProperties settings) {
        this.tokens = callbacks.enabled() ? secrets.tokens(IngestCallbackProperties.ENABLED + " is true") : null;
        this.publisher = publisher;
        this.kafka = kafka;
        this.limits = limits;
        this.settings = settings;
        LOG.info(callbacks.enabled() ? "agents' callbacks are taken at POST /callbacks/<token>"
                : "agents' callbacks are off ({} is false): POST /callbacks/… answers 404", IngestCallbackProperties.ENABLED);
    }

    public CompletableFuture<CallbackOutcome> receive(CallbackDelivery delivery) {
        if (tokens == null) {
            return refused(IngestProblemType.CALLBACKS_DISABLED, "This ingest does not take agents' callbacks"
                    + " (jobpipe.ingest.callbacks.enabled is false).", null);
        }
        Instant now = clock.instant();
        CallbackVerification verification = tokens.verify(delivery.token(), now);
        if (verification instanceof CallbackVerification.Invalid invalid) {
            try (LogContext ignored = LogContext.open().requestId(delivery.requestId())) {
                LOG.warn("callback refused, token not valid: {}", invalid.reason());
            }
            return refused(IngestProblemType.CALLBACK_TOKEN_INVALID, INVALID_TOKEN_DETAIL, null);
        }
        if (verification instanceof CallbackVerification.Expired expired) {
            CallbackToken token = expired.token();
            try (LogContext ignored = LogContext.open().requestId(delivery.requestId()).jobId(token.jobId())
                    .stage(token.stage()).attempt(token.attempt())) {
                LOG.info("callback refused: its URL expired at {}", token.expiresAt());
            }
            return refused(IngestProblemType.CALLBACK_EXPIRED, "This callback URL expired at " + token.expiresAt()
                    + ": attempt " + token.attempt() + " of stage " + token.stage() + " is over; nothing was recorded.",
                    token.jobId());
        }
        CallbackToken token = ((CallbackVerification.Valid) verification).token();
        CallbackBody.Parsed parsed = delivery.heartbeat()
                ? CallbackBody.heartbeat(delivery.body(), limits.jsonRules())
                : CallbackBody.result(delivery.body(), limits.jsonRules());
        if (parsed instanceof CallbackBody.Invalid invalid) {
            return refused(IngestProblemType.INVALID_CALLBACK, "The callback's body cannot be taken: "
                    + invalid.reason() + ".", token.jobId());
        }
        if (!kafka.topicsReady()) {
            return refused(IngestProblemType.BROKER_UNAVAILABLE, "Ingest is still connecting to Kafka; retry shortly.",
                    token.jobId());
        }
        StageResult result = toResult(token, parsed, now);
        return publisher.get().publish(result, delivery.traceContext()).handle((metadata, error) -> {
            try (LogContext ignored = LogContext.open().requestId(delivery.requestId()).jobId(token.jobId())
                    .stage(token.stage()).attempt(token.attempt())
                    .traceOf(Span.fromContext(delivery.traceContext()).getSpanContext())) {
                return error == null ? accepted(result) : notAcknowledged(result, error);
            }
        });
    }

    private static StageResult toResult(CallbackToken token, CallbackBody.Parsed parsed, Instant now) {
        // The worker issued the token as the attempt started: the attempt's whole time, agent's service included.
        long durationMs = Math.max(0, Duration.between(token.issuedAt(), now).toMillis());
        if (parsed instanceof CallbackBody.Succeeded s) {
            return new StageResult.StageSucceeded(EventIds.newEventId(), token.jobId(), now, token.stage(),
                    token.attempt(), token.issuedAt(), durationMs, s.summary(), s.output(), s.log());
        }
        if (parsed instanceof CallbackBody.Failed f) {
            return new StageResult.StageFailed(EventIds.newEventId(), token.jobId(), now, token.stage(),
                    token.attempt(), token.issuedAt(), durationMs, f.errorType(), f.message(), f.retryable(),
                    f.retryAfterMs(), f.log());
        }
        CallbackBody.Heartbeat h = (CallbackBody.Heartbeat) parsed;
        return new StageResult.StageHeartbeat(EventIds.newEventId(), token.jobId(), now, token.stage(),
                token.attempt(), h.progress() == null ? "the agent is alive (callback heartbeat)" : h.progress());
    }

    private CallbackOutcome accepted(StageResult result) {
        LOG.info("callback recorded: {} of stage {} attempt {}", result.getClass().getSimpleName(), result.stage(),
                result.attempt());
        return new CallbackOutcome.Accepted(result, JobLinks.of(settings.statusBaseUrl(), result.jobId()));
    }

    private static CallbackOutcome notAcknowledged(StageResult result, Throwable error) {
        SendFailures.Kind kind = SendFailures.classifyAndLog(error, LOG, "callback result");
        return switch (kind) {
            case TOO_LARGE -> new CallbackOutcome.Refused(IngestProblemType.PAYLOAD_TOO_LARGE,
                    "The result is larger than Kafka accepts; send a smaller output.", result.jobId());
            case UNAVAILABLE -> new CallbackOutcome.Refused(IngestProblemType.BROKER_UNAVAILABLE,
                    "Kafka did not acknowledge the result in time. It may still have been recorded; posting the same"
                            + " callback again is safe (a second result for the attempt changes nothing).",
                    result.jobId());
            case INTERNAL -> new CallbackOutcome.Refused(IngestProblemType.INTERNAL_ERROR,
                    "The result could not be recorded; quote the requestId when reporting this.", result.jobId());
        };
    }

    private static CompletableFuture<CallbackOutcome> refused(IngestProblemType problem, String detail, String jobId) {
        return CompletableFuture.completedFuture(new CallbackOutcome.Refused(problem, detail, jobId));
    }
}
