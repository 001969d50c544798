package io.jobpipe.support.tracing;

import io.jobpipe.core.tracing.SpanAttributes;
import io.jobpipe.core.tracing.Telemetry;
import io.jobpipe.testing.OtlpTraceReceiver;
import io.micronaut.context.ApplicationContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.ReadableSpan;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TracingSdkTest {
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    @Test
    void shouldExportNothingAndStartNoThreadWithoutAnEndpointYetGiveEverySpanAValidContext() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (OpenTelemetrySdk sdk = TracingSdk.create("quiet-service", Map.of())) {
            Span span = Telemetry.tracer(sdk).spanBuilder("work").startSpan();
            span.end();

            assertThat(span.getSpanContext().isValid()).as("trace ids still travel in Kafka headers").isTrue();
            assertThat(sdk.getSdkTracerProvider().toString()).doesNotContain("BatchSpanProcessor")
                    .doesNotContain("Exporter");
            Set<Thread> started = new HashSet<>(Thread.getAllStackTraces().keySet());
            started.removeAll(before);
            assertThat(started).as("threads the SDK started").isEmpty();
        }
    }

    @Test
    void shouldSendSpansToTheOtlpEndpointUnderTheApplicationsName() {
        try (OtlpTraceReceiver collector = OtlpTraceReceiver.start()) {
            OpenTelemetrySdk sdk = TracingSdk.create("probe-service",
                    Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint()));
            Span span = Telemetry.tracer(sdk).spanBuilder("work").setAttribute(SpanAttributes.JOB_ID, "job_1").startSpan();
            span.end();
            sdk.close(); // flushes the batch

            assertThat(collector.spans()).singleElement().satisfies(received -> {
                assertThat(received.service()).isEqualTo("probe-service");
                assertThat(received.name()).isEqualTo("work");
                assertThat(received.traceId()).isEqualTo(span.getSpanContext().getTraceId());
                assertThat(received.attribute("jobpipe.job.id")).isEqualTo("job_1");
            });
        }
    }

    @Test
    void shouldLetOtelServiceNameAndTheSamplerOverrideTheDefaults() {
        try (OpenTelemetrySdk sdk = TracingSdk.create("probe-service",
                Map.of("OTEL_SERVICE_NAME", "renamed", "OTEL_TRACES_SAMPLER", "always_off"))) {
            Span span = Telemetry.tracer(sdk).spanBuilder("work").startSpan();
            assertThat(span.getSpanContext().isSampled()).isFalse();
            span.end();
        }
        try (OpenTelemetrySdk sdk = TracingSdk.create("probe-service", Map.of("OTEL_SERVICE_NAME", "renamed"))) {
            Span span = Telemetry.tracer(sdk).spanBuilder("work").startSpan();
            assertThat(((ReadableSpan) span).toSpanData().getResource().getAttribute(SERVICE_NAME)).isEqualTo("renamed");
            span.end();
        }
    }

    @Test
    void shouldLogSpansWhenTheStandardVariableAsksForTheLoggingExporter() {
        try (OpenTelemetrySdk sdk = TracingSdk.create("probe-service", Map.of("OTEL_TRACES_EXPORTER", "logging"))) {
            assertThat(sdk.getSdkTracerProvider().toString()).contains("LoggingSpanExporter")
                    .contains("SimpleSpanProcessor");
        }
    }

    @Test
    void shouldMakeOneSdkPerServiceNamedAfterTheApplication() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("micronaut.application.name", "some-service"))) {
            Span span = context.getBean(Tracer.class).spanBuilder("work").startSpan();
            span.end();

            assertThat(((ReadableSpan) span).toSpanData().getResource().getAttribute(SERVICE_NAME)).isEqualTo("some-service");
            assertThat(context.getBeansOfType(OpenTelemetrySdk.class)).hasSize(1);
        }
    }
}
