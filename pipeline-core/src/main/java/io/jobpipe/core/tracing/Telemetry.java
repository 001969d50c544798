package io.jobpipe.core.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;

/**
 * The one instrumentation scope every jobpipe span is made under. The SDK itself (exporters, sampler, service
 * name) is configured from the standard {@code OTEL_*} variables by service-support; pure code sees only the API.
 */
public final class Telemetry {
    /** The instrumentation scope name of jobpipe's own spans. */
    public static final String INSTRUMENTATION_SCOPE = "io.jobpipe";

    private Telemetry() {
    }

    public static Tracer tracer(OpenTelemetry openTelemetry) {
        return openTelemetry.getTracer(INSTRUMENTATION_SCOPE);
    }
}
