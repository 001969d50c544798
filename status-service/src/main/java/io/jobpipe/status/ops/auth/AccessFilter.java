package io.jobpipe.status.ops.auth;

import io.jobpipe.status.config.AccessProperties;
import io.jobpipe.status.config.OpsProperties;
import io.jobpipe.status.ops.api.OpsProblems;
import io.jobpipe.support.http.ProblemResponses;
import io.jobpipe.support.logging.RequestLogFilter;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;

/**
 * The service's door: a request that {@link AccessRules} says needs a token must carry
 * {@code Authorization: Bearer <token>} of a configured token (401 otherwise), of the role it needs (403 for a
 * {@code read} token where {@code operate} is needed). The caller is left on the request for the controllers
 * ({@link #callerOf}). A filter of a dozen lines rather than micronaut-security: static tokens need no sessions,
 * rules or JWT (docs/DECISIONS.md).
 */
@ServerFilter({"/ops/**", "/jobs", "/jobs/**", "/stats", "/stats/**", "/exports/**", "/events", "/events/**"})
@Context
public final class AccessFilter implements Ordered {
    private static final Logger LOG = LoggerFactory.getLogger(AccessFilter.class);
    private static final String CALLER = "jobpipe.ops.caller";
    private static final String BEARER = "Bearer ";

    private final OpsTokens tokens;
    private final AccessRules rules;
    private final ProblemResponses problems;

    public AccessFilter(OpsProperties properties, AccessProperties access, ProblemResponses problems) {
        this.tokens = OpsTokens.parse(properties.tokens());
        this.rules = new AccessRules(AccessRules.Rule.parse("jobpipe.access.listing", access.listing()),
                AccessRules.Rule.parse("jobpipe.access.job-by-id", access.jobById()));
        this.problems = problems;
        if (tokens.isEmpty()) {
            LOG.warn("the ops API (/ops/...){} is closed: no tokens configured; every request gets 401. Open it with"
                    + " JOBPIPE_OPS_TOKENS (property jobpipe.ops.tokens) = name:role:token,... (role read or operate)",
                    rules.listing() == AccessRules.Rule.TOKEN ? " and listing, search, stats and exports" : "");
        } else {
            LOG.info("the ops API{} accepts {} bearer tokens; one job by its id is {}",
                    rules.listing() == AccessRules.Rule.TOKEN ? ", listing, search, stats and exports" : "",
                    tokens.size(), rules.jobById() == AccessRules.Rule.OPEN ? "open" : "behind a token too");
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
        OpsRole needed = rules.needed(request.getMethodName(), request.getPath()).orElse(null);
        if (needed == null) {
            return null;
        }
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim() : null;
        OpsCaller caller = tokens.find(presented).orElse(null);
        if (caller == null) {
            String what = AccessRules.describe(request.getPath());
            String detail = tokens.isEmpty()
                    ? what + " is closed: the service has no tokens (JOBPIPE_OPS_TOKENS)."
                    : presented == null ? what + " needs a token: send 'Authorization: Bearer <token>' with a "
                    + needed.name().toLowerCase(Locale.ROOT) + " token."
                    : "The bearer token is not a known ops token (JOBPIPE_OPS_TOKENS).";
            return problems.of(request, OpsProblems.UNAUTHORIZED, detail);
        }
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
