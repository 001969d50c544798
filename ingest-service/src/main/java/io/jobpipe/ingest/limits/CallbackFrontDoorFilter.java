package io.jobpipe.ingest.limits;

import io.jobpipe.ingest.http.IngestProblemType;
import io.jobpipe.ingest.http.Problems;
import io.jobpipe.support.callback.CallbackPaths;
import io.jobpipe.support.http.ProblemResponses;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.List;

/**
 * The front door of {@code POST /callbacks/…}, before a byte of the body is read: the webhooks' default rates (per
 * client address, and for all callbacks together, on this replica) 429, a declared body over the server's limit 413,
 * a body that is not {@code application/json} 415 (a heartbeat may have no body at all), and a share of the in-flight
 * budget webhooks draw on too, or 503.
 */
@ServerFilter("/callbacks/**")
public final class CallbackFrontDoorFilter implements Ordered {
    /** The rate limiter's name for all callbacks: no connection can be called so (it is a path segment). */
    static final String RATE_KEY = "/callbacks";
    private static final AcceptedContentTypes JSON = new AcceptedContentTypes(List.of("application/json"));

    private final FrontDoorLimits limits;
    private final IngestLimitsProperties defaults;
    private final ProblemResponses problems;

    public CallbackFrontDoorFilter(FrontDoorLimits limits, IngestLimitsProperties defaults, ProblemResponses problems) {
        this.limits = limits;
        this.defaults = defaults;
        this.problems = problems;
    }

    @Override
    public int getOrder() {
        return FrontDoorFilter.ORDER;
    }

    @RequestFilter
    @Nullable
    public MutableHttpResponse<?> onRequest(HttpRequest<?> request) {
        if (request.getMethod() != HttpMethod.POST) {
            return null; // the framework answers 404 or 405
        }
        RateLimiter.Decision decision = limits.rateLimiter().tryAcquire(RATE_KEY, defaults.connectionRate(),
                FrontDoorAnswers.clientOf(request, limits.clientAddresses()), defaults.clientRate());
        if (!decision.allowed()) {
            return FrontDoorAnswers.rateLimited(problems, request,
                    decision.scope().equals("client") ? "this client's callbacks" : "callbacks", decision);
        }
        long contentLength = request.getContentLength();
        if (contentLength > limits.serverMaxBodyBytes()) {
            return problems.of(request, IngestProblemType.PAYLOAD_TOO_LARGE,
                    Problems.tooLargeDetail(limits.serverMaxBodyBytes()));
        }
        boolean bodyless = contentLength == 0 && request.getPath().endsWith(CallbackPaths.HEARTBEAT);
        String contentType = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        if (!bodyless && !JSON.accepts(contentType)) {
            return problems.of(request, IngestProblemType.UNSUPPORTED_MEDIA_TYPE,
                    (contentType == null ? "No Content-Type was given" : "Content-Type '"
                            + FrontDoorAnswers.printable(contentType) + "' is not accepted")
                            + "; a callback's body is application/json.");
        }
        return FrontDoorAnswers.takeShare(limits, problems, request, "requests");
    }

    @ResponseFilter
    public void onResponse(HttpRequest<?> request) {
        FrontDoorAnswers.releaseShare(request);
    }
}
