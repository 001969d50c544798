package io.jobpipe.core;

import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.jobpipe.core.tracing.Telemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaTraceHeadersTest {

    @Test
    void shouldCarryTheTraceContextThroughRecordHeaders() {
        OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().build()).build();
        Span span = Telemetry.tracer(otel).spanBuilder("hop").startSpan();
        RecordHeaders headers = new RecordHeaders();

        KafkaTraceHeaders.inject(Context.root().with(span), headers);
        Context extracted = KafkaTraceHeaders.extract(headers);

        assertThat(Span.fromContext(extracted).getSpanContext().getTraceId()).isEqualTo(span.getSpanContext().getTraceId());
        assertThat(KafkaTraceHeaders.traceIdOf(KafkaTraceHeaders.traceparent(headers))).isEqualTo(span.getSpanContext().getTraceId());
        span.end();
    }

    @Test
    void shouldReadTheTraceIdOfAStoredTraceparent() {
        RecordHeaders headers = new RecordHeaders();
        KafkaTraceHeaders.setTraceparent(headers, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(KafkaTraceHeaders.traceIdOf(KafkaTraceHeaders.traceparent(headers))).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(KafkaTraceHeaders.traceIdOf("garbage")).isNull();
        assertThat(KafkaTraceHeaders.traceIdOf(null)).isNull();
    }
}
