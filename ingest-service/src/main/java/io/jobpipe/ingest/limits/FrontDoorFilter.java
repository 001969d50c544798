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

import java.net.InetAddress;
import java.util.List;

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
    static final String PERMIT = "jobpipe.frontDoor.permit";
    static final String X_FORWARDED_FOR = "X-Forwarded-For";

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
                clientOf(request), connectionLimits.clientRate());
        if (!decision.allowed()) {
            return rateLimited(request, connection, decision);
        }
        long contentLength = request.getContentLength();
        if (contentLength > connectionLimits.maxBodyBytes()) {
            return problems.of(request, IngestProblemType.PAYLOAD_TOO_LARGE,
                    Problems.tooLargeDetail(connectionLimits.maxBodyBytes()));
        }
        String contentType = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        if (!connectionLimits.contentTypes().accepts(contentType)) {
            return problems.of(request, IngestProblemType.UNSUPPORTED_MEDIA_TYPE,
                    (contentType == null ? "No Content-Type was given" : "Content-Type '" + printable(contentType)
                            + "' is not accepted") + "; connection '" + connection + "' accepts "
                            + connectionLimits.contentTypes() + ".");
        }
        InFlightBudget.Permit permit = limits.budget().tryAcquire(
                contentLength >= 0 ? contentLength : limits.serverMaxBodyBytes());
        if (permit == null) {
            return problems.of(request, IngestProblemType.OVERLOADED,
                    "Ingest is holding as many webhooks as it allows itself; nothing was accepted, retry later.");
        }
        request.setAttribute(PERMIT, permit);
        return null;
    }

    @ResponseFilter
    public void onResponse(HttpRequest<?> request) {
        request.getAttribute(PERMIT, InFlightBudget.Permit.class).ifPresent(InFlightBudget.Permit::release);
    }

    private String clientOf(HttpRequest<?> request) {
        InetAddress peer = request.getRemoteAddress().getAddress();
        if (peer == null) {
            return request.getRemoteAddress().getHostString();
        }
        List<String> forwardedFor = request.getHeaders().getAll(X_FORWARDED_FOR);
        return limits.clientAddresses().clientOf(peer, forwardedFor);
    }

    private MutableHttpResponse<?> rateLimited(HttpRequest<?> request, String connection,
                                               RateLimiter.Decision decision) {
        String seconds = Long.toString(decision.retryAfterSeconds());
        String who = decision.scope().equals("client") ? "this client on connection '" + connection + "'"
                : "connection '" + connection + "'";
        return problems.of(request, IngestProblemType.RATE_LIMITED,
                        "Too many requests for " + who + " (" + decision.rate().perSecond() + "/s, bursts of "
                                + decision.rate().burst() + "); retry after " + seconds + " s.")
                .header(HttpHeaders.RETRY_AFTER, seconds)
                .header("RateLimit-Limit", Long.toString(decision.rate().burst()))
                .header("RateLimit-Remaining", Long.toString(decision.remaining()))
                .header("RateLimit-Reset", seconds);
    }

    /** A header value quoted back: printable ASCII only, and short. */
    private static String printable(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && out.length() < 100; i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return out.toString();
    }
}
