package io.jobpipe.ingest.webhook;

import io.jobpipe.support.http.ProblemResponses;
import io.jobpipe.ingest.http.RequestAttributes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
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
 * {@code POST /webhooks/{connection}}: answers {@code 202 {jobId, statusUrl, eventsUrl}} once the job
 * request is in Kafka, else a problem document. Returns a future, so no thread waits for the broker.
 */
@Controller("/webhooks")
public final class WebhookController {
    /**
     * Set to {@code true} on the answer (a 202, or a sender's own reply such as Slack's slash-command message) to a
     * delivery that was accepted before: the job id is the earlier job's.
     */
    public static final String DUPLICATE_HEADER = "Jobpipe-Duplicate";
    private final WebhookIntake intake;
    private final ProblemResponses problems;

    public WebhookController(WebhookIntake intake, ProblemResponses problems) {
        this.intake = intake;
        this.problems = problems;
    }

    /** The 202 body. */
    public record JobAccepted(String jobId, String statusUrl, String eventsUrl) {
    }

    /**
     * The body is read as raw bytes. Which media types a connection takes is its own setting, enforced (415) by
     * {@link io.jobpipe.ingest.limits.FrontDoorFilter} before the body is read, so the route takes any.
     */
    @Post(uri = "/{connection}", consumes = MediaType.ALL)
    public CompletableFuture<MutableHttpResponse<?>> receive(@PathVariable String connection,
                                                             HttpRequest<?> request,
                                                             @Nullable @Body byte[] body) {
        Span span = RequestAttributes.span(request);
        Context traceContext = span == null ? Context.root() : Context.root().with(span);
        HttpHeaders headers = request.getHeaders();
        WebhookDelivery delivery = new WebhookDelivery(connection, headers::get, body,
                RequestAttributes.requestId(request), traceContext);
        return intake.receive(delivery).thenApply(outcome -> {
            RequestAttributes.jobId(request, outcome.jobId());
            return toResponse(request, outcome);
        });
    }

    private MutableHttpResponse<?> toResponse(HttpRequest<?> request, IntakeOutcome outcome) {
        if (outcome instanceof IntakeOutcome.Accepted accepted) {
            JobLinks links = accepted.links();
            MutableHttpResponse<Object> response = HttpResponse.accepted();
            if (accepted.duplicate()) {
                response.header(DUPLICATE_HEADER, "true");
            }
            return response
                    .header(HttpHeaders.LOCATION, links.statusUrl())
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .body(new JobAccepted(accepted.jobId(), links.statusUrl(), links.eventsUrl()));
        }
        if (outcome instanceof IntakeOutcome.Answered answered) {
            MutableHttpResponse<Object> response = HttpResponse.status(HttpStatus.valueOf(answered.answer().status()));
            if (answered.duplicate()) {
                response.header(DUPLICATE_HEADER, "true");
            }
            return response.contentType(answered.answer().contentType()).body(answered.answer().body());
        }
        IntakeOutcome.Refused refused = (IntakeOutcome.Refused) outcome;
        return problems.of(request, refused.problem(), refused.detail());
    }
}
