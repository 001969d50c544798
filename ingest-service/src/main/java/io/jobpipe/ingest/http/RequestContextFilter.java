package io.jobpipe.ingest.http;

import io.jobpipe.ingest.request.RequestIds;
import io.jobpipe.ingest.tracing.WebhookSpans;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.opentelemetry.api.trace.Span;

import java.util.concurrent.TimeUnit;

/**
 * The outermost filter of every request: gives it a request id, opens the server span of a webhook,
 * and on the way out echoes {@code X-Request-Id} and {@code X-Trace-Id}, ends the span and writes the
 * access log line. Error responses pass through here too, so no request goes unseen.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class RequestContextFilter implements Ordered {
    public static final String TRACE_ID_HEADER = "X-Trace-Id";
    private static final String WEBHOOK_PATH_PREFIX = "/webhooks/";

    private final WebhookSpans spans;

    public RequestContextFilter(WebhookSpans spans) {
        this.spans = spans;
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }

    @RequestFilter
    public void onRequest(HttpRequest<?> request) {
        request.setAttribute(RequestAttributes.STARTED_NANOS, System.nanoTime());
        String requestId = RequestIds.resolve(request.getHeaders().get(RequestIds.HEADER));
        request.setAttribute(RequestAttributes.REQUEST_ID, requestId);
        Span span = null;
        if (request.getPath().startsWith(WEBHOOK_PATH_PREFIX)) {
            span = spans.start(request.getMethodName(), request.getPath(), request.getHeaders(), requestId);
            request.setAttribute(RequestAttributes.SPAN, span);
        }
        String traceId = WebhookSpans.traceIdOf(span, request.getHeaders());
        if (traceId != null) {
            request.setAttribute(RequestAttributes.TRACE_ID, traceId);
        }
    }

    @ResponseFilter
    public void onResponse(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String requestId = RequestAttributes.requestId(request);
        String traceId = RequestAttributes.traceId(request);
        String jobId = RequestAttributes.jobId(request);
        String connection = RequestAttributes.connection(request);
        int status = response.code();
        response.header(RequestIds.HEADER, requestId);
        if (traceId != null) {
            response.header(TRACE_ID_HEADER, traceId);
        }
        Span span = RequestAttributes.span(request);
        if (span != null) {
            spans.end(span, status, connection, jobId);
        }
        long durationMs = request.getAttribute(RequestAttributes.STARTED_NANOS, Long.class)
                .map(started -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                .orElse(-1L);
        AccessLog.log(request.getMethodName(), request.getPath(), connection, status, durationMs, requestId, jobId);
    }
}
