package io.jobpipe.ingest.tracing;

import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.jobpipe.core.tracing.SpanAttributes;
import io.micronaut.http.HttpHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.inject.Singleton;

/**
 * The server span of each webhook request ({@code POST /webhooks/{connection}}, kind SERVER): the root of the
 * job's trace, or a child of the caller's W3C {@code traceparent} when there is one, so a sender's trace runs on
 * through Kafka into every stage of the job. Its context is what the {@code JobRequested} record carries. An agent's
 * callback ({@code POST /callbacks/{token}}) gets one too: a service that passes on the traceparent its agent was
 * called with continues the job's trace.
 */
@Singleton
public final class WebhookSpans {
    public static final String ROUTE = "/webhooks/{connection}";
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

    private static final TextMapGetter<HttpHeaders> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpHeaders headers) {
            return headers.names();
        }

        @Override
        public String get(HttpHeaders headers, String key) {
            return headers == null ? null : headers.get(key);
        }
    };

    private final Tracer tracer;
    private final OpenTelemetry openTelemetry;

    public WebhookSpans(Tracer tracer, OpenTelemetry openTelemetry) {
        this.tracer = tracer;
        this.openTelemetry = openTelemetry;
    }

    /** @param route the span's name after the method, and its {@code http.route} */
    public Span start(String method, String route, String path, HttpHeaders headers, String requestId) {
        Context parent = openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), headers, GETTER);
        return tracer.spanBuilder(method + " " + route)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, method)
                .setAttribute(PATH, path)
                .setAttribute(HTTP_ROUTE, route)
                .setAttribute(SpanAttributes.REQUEST_ID, requestId)
                .startSpan();
    }

    public void end(Span span, int status, String connection, String jobId) {
        span.setAttribute(STATUS, (long) status);
        if (connection != null) {
            span.setAttribute(SpanAttributes.CONNECTION, connection);
        }
        if (jobId != null) {
            span.setAttribute(SpanAttributes.JOB_ID, jobId);
        }
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }

    /** The trace id a response reports: the span's, else the one in the caller's {@code traceparent}. */
    public static String traceIdOf(Span span, HttpHeaders headers) {
        if (span != null && span.getSpanContext().isValid()) {
            return span.getSpanContext().getTraceId();
        }
        return KafkaTraceHeaders.traceIdOf(headers.get(KafkaTraceHeaders.TRACEPARENT));
    }
}
