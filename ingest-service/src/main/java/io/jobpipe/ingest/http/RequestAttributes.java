package io.jobpipe.ingest.http;

import io.jobpipe.support.logging.RequestLogAttributes;
import io.micronaut.http.BasicHttpAttributes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.uri.UriMatchInfo;
import io.opentelemetry.api.trace.Span;

/**
 * What {@link RequestContextFilter} and the controller learn about a request and share through its
 * attributes: the request id, the server span, the connection and the job id, for the response headers,
 * problem documents and the log fields. The log fields (request id, trace id, job id) are service-support's
 * {@link RequestLogAttributes}, so its request log filter and access log see the same values.
 */
public final class RequestAttributes {
    static final String SPAN = "jobpipe.span";

    private RequestAttributes() {
    }

    /** The request's id; errors raised before the filter ran still get one, from the header or new. */
    public static String requestId(HttpRequest<?> request) {
        return RequestLogAttributes.requestId(request);
    }

    public static String traceId(HttpRequest<?> request) {
        return RequestLogAttributes.traceId(request);
    }

    public static Span span(HttpRequest<?> request) {
        return request.getAttribute(SPAN, Span.class).orElse(null);
    }

    public static void jobId(HttpRequest<?> request, String jobId) {
        RequestLogAttributes.jobId(request, jobId);
    }

    public static String jobId(HttpRequest<?> request) {
        return RequestLogAttributes.jobId(request);
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
