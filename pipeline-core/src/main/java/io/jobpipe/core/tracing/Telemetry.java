package io.jobpipe.core.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/**
 * The OpenTelemetry SDK for one service: W3C trace context, every span sampled. Spans are logged
 * when {@code JOBPIPE_TRACE_LOG=true}; trace ids travel in Kafka headers whether or not spans are exported.
 */
public final class Telemetry {
    private Telemetry() {
    }

    public static OpenTelemetrySdk create(String serviceName, boolean logSpans) {
        io.opentelemetry.sdk.trace.SdkTracerProviderBuilder tracerProvider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), serviceName))));
        if (logSpans) {
            tracerProvider.addSpanProcessor(SimpleSpanProcessor.create(LoggingSpanExporter.create()));
        }
        return OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider.build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    public static OpenTelemetrySdk fromEnvironment(String serviceName) {
        return create(serviceName, Boolean.parseBoolean(System.getenv().getOrDefault("JOBPIPE_TRACE_LOG", "false")));
    }

    public static Tracer tracer(OpenTelemetry openTelemetry) {
        return openTelemetry.getTracer("io.jobpipe");
    }
}
