package io.jobpipe.ingest.http;

import io.jobpipe.ingest.tracing.WebhookSpans;
import io.jobpipe.support.callback.CallbackPaths;
import io.jobpipe.support.logging.RequestLogAttributes;
import io.jobpipe.support.logging.RequestLogFilter;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.opentelemetry.api.trace.Span;

/**
 * The outermost filter of every request: opens the server span of a webhook or an agent's callback (its path with the
 * token left out) and records its trace id, and on the
 * way out echoes {@code X-Trace-Id} and ends the span. Error responses pass through here too. It runs before
 * service-support's {@link RequestLogFilter}, which puts the request id, trace id and job id into the log fields,
 * echoes {@code X-Request-Id} and writes the access log line.
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
        String requestId = RequestAttributes.requestId(request);
        Span span = null;
        String path = request.getPath();
        if (path.startsWith(WEBHOOK_PATH_PREFIX)) {
            span = spans.start(request.getMethodName(), WebhookSpans.ROUTE, path, request.getHeaders(), requestId);
        } else if (path.startsWith(CallbackPaths.PREFIX)) {
            String redacted = CallbackPaths.redact(path);
            span = spans.start(request.getMethodName(), redacted, redacted, request.getHeaders(), requestId);
        }
        if (span != null) {
            request.setAttribute(RequestAttributes.SPAN, span);
        }
        String traceId = WebhookSpans.traceIdOf(span, request.getHeaders());
        RequestLogAttributes.traceId(request, traceId);
    }

    @ResponseFilter
    public void onResponse(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String traceId = RequestAttributes.traceId(request);
        String jobId = RequestAttributes.jobId(request);
        String connection = RequestAttributes.connection(request);
        int status = response.code();
        if (traceId != null) {
            response.header(TRACE_ID_HEADER, traceId);
        }
        Span span = RequestAttributes.span(request);
        if (span != null) {
            spans.end(span, status, connection, jobId);
        }
    }
}
