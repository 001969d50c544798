package io.jobpipe.ingest.limits;

import io.jobpipe.ingest.connection.Connections;
import io.jobpipe.ingest.http.IngestProblemType;
import io.jobpipe.ingest.http.Problems;
import io.jobpipe.ingest.http.RequestAttributes;
import io.jobpipe.ingest.metrics.WebhookMetricsFilter;
import io.jobpipe.support.http.ProblemResponses;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.core.order.Ordered;

/**
 * The front door of {@code POST /webhooks/{connection}}, before a byte of the body is read and before any
 * signature or parsing work: unknown connection 404, rate limit 429 (per client address, then per connection),
 * declared body over the connection's limit 413, content type the connection does not take 415, and a share of
 * the in-flight budget or 503. The share is given back with the answer, whatever the answer is.
 *
 * <p>A 429 carries {@code Retry-After} and the IETF draft's {@code RateLimit-Limit} (the bucket size),
 * {@code RateLimit-Remaining} (0) and {@code RateLimit-Reset} (seconds until a request is allowed again).
 * Runs after the request-context and metrics filters, so its refusals carry a request id and are counted.
 */
@ServerFilter("/webhooks/**")
public final class FrontDoorFilter implements Ordered {
    public static final int ORDER = WebhookMetricsFilter.ORDER + 10;

    private final FrontDoorLimits limits;
    private final Connections connections;
    private final ProblemResponses problems;

    public FrontDoorFilter(FrontDoorLimits limits, Connections connections, ProblemResponses problems) {
        this.limits = limits;
        this.connections = connections;
        this.problems = problems;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @RequestFilter
    @Nullable
    public MutableHttpResponse<?> onRequest(HttpRequest<?> request) {
        String connection = RequestAttributes.connection(request);
        if (connection == null || request.getMethod() != HttpMethod.POST) {
            return null; // no webhook route matched: the framework answers 404 or 405
        }
        ConnectionLimits connectionLimits = connections.find(connection).flatMap(c -> limits.limitsOf(connection))
                .orElse(null);
        if (connectionLimits == null) {
            return problems.of(request, IngestProblemType.UNKNOWN_CONNECTION,
                    "No connection named '" + connection + "' accepts webhooks here.");
        }
        RateLimiter.Decision decision = limits.rateLimiter().tryAcquire(connection, connectionLimits.rate(),
                FrontDoorAnswers.clientOf(request, limits.clientAddresses()), connectionLimits.clientRate());
        if (!decision.allowed()) {
            String who = decision.scope().equals("client") ? "this client on connection '" + connection + "'"
                    : "connection '" + connection + "'";
            return FrontDoorAnswers.rateLimited(problems, request, who, decision);
        }
        long contentLength = request.getContentLength();
        if (contentLength > connectionLimits.maxBodyBytes()) {
            return problems.of(request, IngestProblemType.PAYLOAD_TOO_LARGE,
                    Problems.tooLargeDetail(connectionLimits.maxBodyBytes()));
        }
        String contentType = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        if (!connectionLimits.contentTypes().accepts(contentType)) {
            return problems.of(request, IngestProblemType.UNSUPPORTED_MEDIA_TYPE,
                    (contentType == null ? "No Content-Type was given" : "Content-Type '"
                            + FrontDoorAnswers.printable(contentType)
                            + "' is not accepted") + "; connection '" + connection + "' accepts "
                            + connectionLimits.contentTypes() + ".");
        }
        return FrontDoorAnswers.takeShare(limits, problems, request, "webhooks");
    }

    @ResponseFilter
    public void onResponse(HttpRequest<?> request) {
        FrontDoorAnswers.releaseShare(request);
    }
}
