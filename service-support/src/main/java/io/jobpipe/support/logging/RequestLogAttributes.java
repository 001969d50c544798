package io.jobpipe.support.logging;

import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.micronaut.http.BasicHttpAttributes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.uri.UriMatchInfo;

/**
 * The log fields of one HTTP request, kept in its attributes so that every filter, controller and error handler
 * that runs for it sees the same values, whichever thread it runs on: the request id (one per request, created on
 * first use), the job it concerns, and its trace id.
 */
public final class RequestLogAttributes {
    static final String REQUEST_ID = "jobpipe.requestId";
    static final String JOB_ID = "jobpipe.jobId";
    static final String TRACE_ID = "jobpipe.traceId";
    static final String STARTED_NANOS = "jobpipe.startedNanos";
    /** A route variable of this name (status's {@code /jobs/{jobId}}) names the request's job. */
    static final String JOB_ID_VARIABLE = "jobId";

    private RequestLogAttributes() {
    }

    /** The request's id: the caller's {@code X-Request-Id} when it is a plain token, else a new one; stable per request. */
    public static String requestId(HttpRequest<?> request) {
        return request.getAttribute(REQUEST_ID, String.class).orElseGet(() -> {
            String id = RequestIds.resolve(request.getHeaders().get(RequestIds.HEADER));
            request.setAttribute(REQUEST_ID, id);
            return id;
        });
    }

    /** Records the job a request created or concerns, once it is known. */
    public static void jobId(HttpRequest<?> request, String jobId) {
        if (jobId != null) {
            request.setAttribute(JOB_ID, jobId);
        }
    }

    /** The job recorded for the request, else its {@code {jobId}} route variable, else null. */
    public static String jobId(HttpRequest<?> request) {
        return request.getAttribute(JOB_ID, String.class).orElseGet(() -> BasicHttpAttributes.getRouteMatchInfo(request)
                .map(UriMatchInfo::getVariableValues)
                .map(values -> values.get(JOB_ID_VARIABLE))
                .map(Object::toString)
                .orElse(null));
    }

    /** Records the trace id of the request's server span (a filter that opens one calls this). */
    public static void traceId(HttpRequest<?> request, String traceId) {
        if (traceId != null) {
            request.setAttribute(TRACE_ID, traceId);
        }
    }

    /** The recorded trace id, else the one in the caller's {@code traceparent}, else null. */
    public static String traceId(HttpRequest<?> request) {
        return request.getAttribute(TRACE_ID, String.class)
                .orElseGet(() -> KafkaTraceHeaders.traceIdOf(request.getHeaders().get(KafkaTraceHeaders.TRACEPARENT)));
    }
}
