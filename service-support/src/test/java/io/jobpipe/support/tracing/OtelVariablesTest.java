package io.jobpipe.support.tracing;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OtelVariablesTest {

    @Test
    void shouldReadOnlyTheOtelVariablesAsSdkProperties() {
        assertThat(OtelVariables.properties(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", " http://collector:4318 ",
                "OTEL_SERVICE_NAME", "", "KAFKA_BOOTSTRAP_SERVERS", "k:9092")))
                .containsExactly(Map.entry("otel.exporter.otlp.endpoint", "http://collector:4318"));
    }

    @Test
    void shouldExportTracesOnlyWhenAnEndpointIsNamed() {
        assertThat(OtelVariables.defaults("svc", Map.of())).containsEntry("otel.traces.exporter", "none")
                .containsEntry("otel.service.name", "svc")
                .containsEntry("otel.metrics.exporter", "none")
                .containsEntry("otel.logs.exporter", "none")
                .containsEntry("otel.exporter.otlp.protocol", "http/protobuf");
        assertThat(OtelVariables.defaults("svc", Map.of("otel.exporter.otlp.endpoint", "http://c:4318")))
                .containsEntry("otel.traces.exporter", "otlp");
        assertThat(OtelVariables.defaults("svc", Map.of("otel.exporter.otlp.traces.endpoint", "http://c:4318/v1/traces")))
                .containsEntry("otel.traces.exporter", "otlp");
    }
}
