package io.jobpipe.ingest.http;

import io.jobpipe.ingest.request.RequestIds;
import io.micronaut.http.BasicHttpAttributes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.uri.UriMatchInfo;
import io.opentelemetry.api.trace.Span;

/**
 * What {@link RequestContextFilter} and the controller learn about a request and share through its
 * attributes: the request id, the server span, the connection and the job id, for the response headers,
 * problem documents and the access log.
 */
public final class RequestAttributes {
    static final String REQUEST_ID = "jobpipe.requestId";
    static final String TRACE_ID = "jobpipe.traceId";
    static final String SPAN = "jobpipe.span";
    static final String STARTED_NANOS = "jobpipe.startedNanos";
    static final String JOB_ID = "jobpipe.jobId";

    private RequestAttributes() {
    }

    /** The request's id; errors raised before the filter ran still get one, from the header or new. */
    public static String requestId(HttpRequest<?> request) {
        return request.getAttribute(REQUEST_ID, String.class)
                .orElseGet(() -> {
                    String id = RequestIds.resolve(request.getHeaders().get(RequestIds.HEADER));
                    request.setAttribute(REQUEST_ID, id);
                    return id;
                });
    }

    public static String traceId(HttpRequest<?> request) {
        return request.getAttribute(TRACE_ID, String.class).orElse(null);
    }

    public static Span span(HttpRequest<?> request) {
        return request.getAttribute(SPAN, Span.class).orElse(null);
    }

    public static void jobId(HttpRequest<?> request, String jobId) {
        if (jobId != null) {
            request.setAttribute(JOB_ID, jobId);
        }
    }

    public static String jobId(HttpRequest<?> request) {
        return request.getAttribute(JOB_ID, String.class).orElse(null);
    }

    /** The {@code {connection}} of a matched webhook route, or null for any other request. */
    public static String connection(HttpRequest<?> request) {
        return BasicHttpAttributes.getRouteMatchInfo(request)
                .map(UriMatchInfo::getVariableValues)
                .map(values -> values.get("connection"))
                .map(Object::toString)
                .orElse(null);
    }
}
