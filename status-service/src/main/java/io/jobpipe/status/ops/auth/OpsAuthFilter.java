package io.jobpipe.status.ops.auth;

import io.jobpipe.status.config.OpsProperties;
import io.jobpipe.status.ops.api.OpsProblems;
import io.jobpipe.support.http.ProblemResponses;
import io.jobpipe.support.logging.RequestLogFilter;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The ops API's door: every {@code /ops/…} request needs {@code Authorization: Bearer <token>} of a configured
 * token (401 otherwise), and a request that changes something (any method but GET/HEAD) needs an {@code operate}
 * token (403 for a {@code read} one). The caller is left on the request for the controllers
 * ({@link #callerOf}). Public {@code /jobs/…} reads never pass here. A filter of a dozen lines rather than
 * micronaut-security: static tokens need no sessions, rules or JWT (docs/DECISIONS.md).
 */
@ServerFilter("/ops/**")
@Context
public final class OpsAuthFilter implements Ordered {
    private static final Logger LOG = LoggerFactory.getLogger(OpsAuthFilter.class);
    private static final String CALLER = "jobpipe.ops.caller";
    private static final String BEARER = "Bearer ";

    private final OpsTokens tokens;
    private final ProblemResponses problems;

    public OpsAuthFilter(OpsProperties properties, ProblemResponses problems) {
        this.tokens = OpsTokens.parse(properties.tokens());
        this.problems = problems;
        if (tokens.isEmpty()) {
            LOG.warn("the ops API (/ops/...) is closed: no tokens configured; every request gets 401. Open it with"
                    + " JOBPIPE_OPS_TOKENS (property jobpipe.ops.tokens) = name:role:token,... (role read or operate)");
        } else {
            LOG.info("the ops API accepts {} bearer tokens", tokens.size());
        }
    }

    @Override
    public int getOrder() {
        // After the request-log filter, so a refusal carries a request id and is logged.
        return RequestLogFilter.ORDER + 20;
    }

    @RequestFilter
    @Nullable
    public MutableHttpResponse<?> onRequest(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim() : null;
        OpsCaller caller = tokens.find(presented).orElse(null);
        if (caller == null) {
            String detail = tokens.isEmpty()
                    ? "The ops API is closed: the service has no ops tokens (JOBPIPE_OPS_TOKENS)."
                    : presented == null ? "Send 'Authorization: Bearer <token>' with an ops token."
                    : "The bearer token is not a known ops token.";
            return problems.of(request, OpsProblems.UNAUTHORIZED, detail);
        }
        OpsRole needed = request.getMethod() == HttpMethod.GET || request.getMethod() == HttpMethod.HEAD
                ? OpsRole.READ : OpsRole.OPERATE;
        if (!caller.role().allows(needed)) {
            return problems.of(request, OpsProblems.FORBIDDEN, "Token '" + caller.name()
                    + "' may only read; " + request.getMethod() + " " + request.getPath() + " needs an operate token.",
                    Map.of("token", caller.name()));
        }
        request.setAttribute(CALLER, caller);
        return null;
    }

    /** The caller this filter let through. */
    public static OpsCaller callerOf(HttpRequest<?> request) {
        return request.getAttribute(CALLER, OpsCaller.class)
                .orElseThrow(() -> new IllegalStateException("no ops caller on " + request.getPath()));
    }
}
