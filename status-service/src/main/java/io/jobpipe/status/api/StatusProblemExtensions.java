package io.jobpipe.status.api;

import io.jobpipe.status.config.OpsProperties;
import io.jobpipe.support.http.Problem;
import io.jobpipe.support.http.ProblemExtensions;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;

/**
 * How the status service's problems differ from the shared ones: a 503 (the ops API could not reach Kafka, the
 * instance's event streams are full) and a 429 (a client's streams are) say when to come back, and a 401 says which scheme to authenticate with (RFC 9110 §11.6.1).
 */
@Singleton
public final class StatusProblemExtensions implements ProblemExtensions {
    private final OpsProperties ops;

    public StatusProblemExtensions(OpsProperties ops) {
        this.ops = ops;
    }

    @Override
    public void decorate(MutableHttpResponse<?> response, Problem problem) {
        if (problem.status() == HttpStatus.SERVICE_UNAVAILABLE.getCode()
                || problem.status() == HttpStatus.TOO_MANY_REQUESTS.getCode()) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, ops.retryAfterSeconds())));
        }
        if (problem.status() == HttpStatus.UNAUTHORIZED.getCode()) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"jobpipe-ops\"");
        }
    }
}
