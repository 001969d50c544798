package io.jobpipe.ingest.limits;

import io.jobpipe.ingest.http.IngestProblemType;
import io.jobpipe.support.http.ProblemResponses;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;

import java.net.InetAddress;
import java.util.List;

/** What the front doors of webhooks and of callbacks share: who the client is, and how a 429 reads. */
final class FrontDoorAnswers {
    static final String X_FORWARDED_FOR = "X-Forwarded-For";
    static final String PERMIT = "jobpipe.frontDoor.permit";

    private FrontDoorAnswers() {
    }

    /** The client's address: the peer, or what a trusted proxy says in {@code X-Forwarded-For}. */
    static String clientOf(HttpRequest<?> request, ClientAddresses addresses) {
        InetAddress peer = request.getRemoteAddress().getAddress();
        if (peer == null) {
            return request.getRemoteAddress().getHostString();
        }
        List<String> forwardedFor = request.getHeaders().getAll(X_FORWARDED_FOR);
        return addresses.clientOf(peer, forwardedFor);
    }

    /**
     * A 429 with {@code Retry-After} and the IETF draft's {@code RateLimit-Limit} (the bucket size),
     * {@code RateLimit-Remaining} and {@code RateLimit-Reset} (seconds until a request is allowed again).
     *
     * @param who what was limited, as the detail names it ("connection 'demo'")
     */
    static MutableHttpResponse<?> rateLimited(ProblemResponses problems, HttpRequest<?> request, String who,
                                              RateLimiter.Decision decision) {
        String seconds = Long.toString(decision.retryAfterSeconds());
        return problems.of(request, IngestProblemType.RATE_LIMITED,
                        "Too many requests for " + who + " (" + decision.rate().perSecond() + "/s, bursts of "
                                + decision.rate().burst() + "); retry after " + seconds + " s.")
                .header(HttpHeaders.RETRY_AFTER, seconds)
                .header("RateLimit-Limit", Long.toString(decision.rate().burst()))
                .header("RateLimit-Remaining", Long.toString(decision.remaining()))
                .header("RateLimit-Reset", seconds);
    }

    /**
     * Takes the request's share of the in-flight budget (a body of unknown length counts as the server's limit), kept
     * in the request until {@link #releaseShare}; null when taken, else the 503 to answer.
     *
     * @param what what ingest holds, as the detail names it ("webhooks")
     */
    static MutableHttpResponse<?> takeShare(FrontDoorLimits limits, ProblemResponses problems, HttpRequest<?> request,
                                            String what) {
        long contentLength = request.getContentLength();
        InFlightBudget.Permit permit = limits.budget().tryAcquire(
                contentLength >= 0 ? contentLength : limits.serverMaxBodyBytes());
        if (permit == null) {
            return problems.of(request, IngestProblemType.OVERLOADED,
                    "Ingest is holding as many " + what + " as it allows itself; nothing was accepted, retry later.");
        }
        request.setAttribute(PERMIT, permit);
        return null;
    }

    /** Gives the request's share back, whatever the answer was; once. */
    static void releaseShare(HttpRequest<?> request) {
        request.getAttribute(PERMIT, InFlightBudget.Permit.class).ifPresent(InFlightBudget.Permit::release);
    }

    /** A header value quoted back: printable ASCII only, and short. */
    static String printable(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && out.length() < 100; i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return out.toString();
    }
}
