package io.jobpipe.support.tracing;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the standard {@code OTEL_*} environment variables ask of the SDK, and the defaults jobpipe adds where they
 * are silent: spans are exported only when an OTLP endpoint (or another traces exporter) is named, over
 * {@code http/protobuf} as the specification says (the Java SDK alone would use grpc), OpenTelemetry
 * metrics and logs are never exported (metrics are Prometheus' and logs Logback's), and the service is named after
 * {@code micronaut.application.name}.
 */
final class OtelVariables {
    static final String ENDPOINT = "otel.exporter.otlp.endpoint";
    static final String TRACES_ENDPOINT = "otel.exporter.otlp.traces.endpoint";
    static final String TRACES_EXPORTER = "otel.traces.exporter";
    static final String SERVICE_NAME = "otel.service.name";
    static final String PROTOCOL = "otel.exporter.otlp.protocol";

    private OtelVariables() {
    }

    /** The {@code otel.*} properties named by {@code OTEL_*} variables ({@code OTEL_SERVICE_NAME → otel.service.name}). */
    static Map<String, String> properties(Map<String, String> environment) {
        Map<String, String> properties = new LinkedHashMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith("OTEL_") && value != null && !value.isBlank()) {
                properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value.trim());
            }
        });
        return properties;
    }

    /**
     * The defaults under the variables. The SDK's own default exporter is OTLP to {@code localhost:4318}; a
     * service with no collector would try it for every batch, so with no endpoint there is no exporter at all.
     */
    static Map<String, String> defaults(String serviceName, Map<String, String> properties) {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put(SERVICE_NAME, serviceName);
        defaults.put(TRACES_EXPORTER, exportsOtlp(properties) ? "otlp" : "none");
        // The specification's default; the Java SDK alone still defaults to grpc (port 4317).
        defaults.put(PROTOCOL, "http/protobuf");
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        return defaults;
    }

    /** True when an OTLP endpoint for traces is named. */
    static boolean exportsOtlp(Map<String, String> properties) {
        return properties.containsKey(ENDPOINT) || properties.containsKey(TRACES_ENDPOINT);
    }
}
