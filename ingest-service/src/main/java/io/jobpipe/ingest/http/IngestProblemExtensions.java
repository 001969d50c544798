package io.jobpipe.ingest.http;

import io.jobpipe.ingest.config.IngestProperties;
import io.jobpipe.support.http.Problem;
import io.jobpipe.support.http.ProblemExtensions;
import io.jobpipe.support.http.ProblemType;
import io.jobpipe.support.logging.RequestIds;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;

/**
 * How ingest's problems differ from the shared ones: framework errors get ingest's types, a 413 names the
 * limit, every problem carries the request and trace ids, and a 503 tells the sender when to come back
 * (every other problem is final for this request).
 */
@Singleton
public final class IngestProblemExtensions implements ProblemExtensions {
    private final IngestProperties properties;

    public IngestProblemExtensions(IngestProperties properties) {
        this.properties = properties;
    }

    @Override
    public Optional<ProblemType> frameworkType(int status) {
        return Optional.ofNullable(IngestProblemType.forFrameworkStatus(status));
    }

    @Override
    public String frameworkDetail(int status) {
        if (status == IngestProblemType.HEADERS_TOO_LARGE.status()) {
            return "The request's headers are larger than this server accepts"
                    + " (micronaut.server.netty.max-header-size).";
        }
        return status == IngestProblemType.PAYLOAD_TOO_LARGE.status()
                ? Problems.tooLargeDetail(properties.maxBodyBytes()) : null;
    }

    @Override
    public Map<String, Object> members(HttpRequest<?> request) {
        return Problems.members(RequestAttributes.requestId(request), RequestAttributes.traceId(request));
    }

    @Override
    public void decorate(MutableHttpResponse<?> response, Problem problem) {
        // Requests Netty refuses before routing (431) never reach the filter that echoes the request id.
        Object requestId = problem.extensions().get(io.jobpipe.support.http.Problems.REQUEST_ID);
        if (requestId != null) {
            response.getHeaders().set(RequestIds.HEADER, requestId.toString());
        }
        if (problem.status() == HttpStatus.SERVICE_UNAVAILABLE.getCode()) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(properties.retryAfterSeconds()));
        }
    }
}
