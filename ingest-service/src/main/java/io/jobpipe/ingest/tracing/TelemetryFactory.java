package io.jobpipe.ingest.tracing;

import io.jobpipe.core.tracing.Telemetry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import jakarta.inject.Singleton;

/** The OpenTelemetry SDK of this service; closing it flushes spans still being exported. */
@Factory
public class TelemetryFactory {
    public static final String SERVICE_NAME = "ingest-service";

    @Singleton
    @Bean(preDestroy = "close")
    OpenTelemetrySdk openTelemetry() {
        return Telemetry.fromEnvironment(SERVICE_NAME);
    }

    @Singleton
    Tracer tracer(OpenTelemetrySdk openTelemetry) {
        return Telemetry.tracer(openTelemetry);
    }
}
