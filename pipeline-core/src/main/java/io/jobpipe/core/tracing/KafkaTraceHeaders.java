package io.jobpipe.core.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** W3C trace context ({@code traceparent}, {@code tracestate}) carried in Kafka record headers. */
public final class KafkaTraceHeaders {
    public static final String TRACEPARENT = "traceparent";

    private static final W3CTraceContextPropagator PROPAGATOR = W3CTraceContextPropagator.getInstance();

    private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            for (Header header : headers) {
                keys.add(header.key());
            }
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            if (headers == null) {
                return null;
            }
            Header header = headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private KafkaTraceHeaders() {
    }

    public static void inject(Context context, Headers headers) {
        PROPAGATOR.inject(context, headers, SETTER);
    }

    public static Context extract(Headers headers) {
        return PROPAGATOR.extract(Context.root(), headers, GETTER);
    }

    /**
     * The W3C {@code traceparent} of {@code span}, as the propagator writes it, for whatever an agent calls over
     * HTTP; empty when the span is not valid (no tracing).
     */
    public static java.util.Optional<String> traceparentOf(io.opentelemetry.api.trace.SpanContext span) {
        java.util.Map<String, String> carrier = new java.util.HashMap<>(2);
        PROPAGATOR.inject(Context.root().with(io.opentelemetry.api.trace.Span.wrap(span)), carrier,
                (map, key, value) -> map.put(key, value));
        return java.util.Optional.ofNullable(carrier.get(TRACEPARENT));
    }

    /** The {@code traceparent} header value, or null when the record carries none. */
    public static String traceparent(Headers headers) {
        return GETTER.get(headers, TRACEPARENT);
    }

    /** Sets {@code traceparent} from a stored value (the orchestrator keeps each job's context). */
    public static void setTraceparent(Headers headers, String traceparent) {
        if (traceparent != null) {
            SETTER.set(headers, TRACEPARENT, traceparent);
        }
    }

    /** The trace id inside a {@code traceparent} value, or null if it is not a valid one. */
    public static String traceIdOf(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        Context context = PROPAGATOR.extract(Context.root(), traceparent,
                new TextMapGetter<>() {
                    @Override
                    public Iterable<String> keys(String carrier) {
                        return List.of(TRACEPARENT);
                    }

                    @Override
                    public String get(String carrier, String key) {
                        return TRACEPARENT.equals(key) ? carrier : null;
                    }
                });
        SpanContext spanContext = Span.fromContext(context).getSpanContext();
        return spanContext.isValid() ? spanContext.getTraceId() : null;
    }
}
