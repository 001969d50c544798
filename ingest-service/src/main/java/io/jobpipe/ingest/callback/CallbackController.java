package io.jobpipe.ingest.callback;

import io.jobpipe.ingest.http.RequestAttributes;
import io.jobpipe.ingest.metrics.CallbackMetricsFilter;
import io.jobpipe.support.http.ProblemResponses;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;

import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /callbacks/{token}} (an asynchronous agent's result) and {@code POST /callbacks/{token}/heartbeat}
 * (it is still working): {@code 202 {jobId, stage, attempt, recorded, statusUrl}} once the record is in Kafka, else a
 * problem document. Size, rate and media type are checked before the body is read
 * ({@link io.jobpipe.ingest.limits.CallbackFrontDoorFilter}).
 */
@Controller("/callbacks")
public final class CallbackController {
    private final CallbackIntake intake;
    private final ProblemResponses problems;

    public CallbackController(CallbackIntake intake, ProblemResponses problems) {
        this.intake = intake;
        this.problems = problems;
    }

    /**
     * The 202 body.
     *
     * @param recorded what went to {@code jobpipe.stage.results}: StageSucceeded, StageFailed or StageHeartbeat
     */
    public record CallbackRecorded(String jobId, String stage, int attempt, String recorded, String statusUrl) {
    }

    @Post(uri = "/{token}", consumes = MediaType.ALL)
    public CompletableFuture<MutableHttpResponse<?>> result(@PathVariable String token, HttpRequest<?> request,
                                                            @Nullable @Body byte[] body) {
        return receive(token, false, request, body);
    }

    @Post(uri = "/{token}/heartbeat", consumes = MediaType.ALL)
    public CompletableFuture<MutableHttpResponse<?>> heartbeat(@PathVariable String token, HttpRequest<?> request,
                                                               @Nullable @Body byte[] body) {
        return receive(token, true, request, body);
    }

    private CompletableFuture<MutableHttpResponse<?>> receive(String token, boolean heartbeat, HttpRequest<?> request,
                                                             byte[] body) {
        Span span = RequestAttributes.span(request);
        Context traceContext = span == null ? Context.root() : Context.root().with(span);
        CallbackDelivery delivery = new CallbackDelivery(token, heartbeat, body == null ? new byte[0] : body,
                RequestAttributes.requestId(request), traceContext);
        return intake.receive(delivery).thenApply(outcome -> {
            CallbackMetricsFilter.outcome(request, outcome.label());
            return toResponse(request, outcome);
        });
    }

    private MutableHttpResponse<?> toResponse(HttpRequest<?> request, CallbackOutcome outcome) {
        if (outcome instanceof CallbackOutcome.Accepted accepted) {
            RequestAttributes.jobId(request, accepted.result().jobId());
            return HttpResponse.accepted().contentType(MediaType.APPLICATION_JSON_TYPE).body(new CallbackRecorded(
                    accepted.result().jobId(), accepted.result().stage(), accepted.result().attempt(),
                    accepted.result().getClass().getSimpleName(), accepted.links().statusUrl()));
        }
        CallbackOutcome.Refused refused = (CallbackOutcome.Refused) outcome;
        RequestAttributes.jobId(request, refused.jobId());
        return problems.of(request, refused.problem(), refused.detail());
    }
}
